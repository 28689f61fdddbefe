"""Layer 4: figures only (house style, CJK fonts, no widgets)."""
