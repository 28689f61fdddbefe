"""Layer 1, the floor: errors, the translation path, the table grammar, files and resources."""
