"""Example inputs, expected outputs and known wrong answers of the notebooks' test cells."""
