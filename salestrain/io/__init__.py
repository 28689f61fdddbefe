"""Layer 3: reading and writing files and databases, validated against one schema per table."""
