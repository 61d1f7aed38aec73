"""The view state (what the user chose) and the pure functions that apply it to the model."""
