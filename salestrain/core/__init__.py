"""Layer 2: the sales logic. Plain data in, plain data out: no files, widgets, printing or plots."""
