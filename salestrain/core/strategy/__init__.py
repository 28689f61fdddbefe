"""Market planning and competitive strategy (the TSM course for key-account directors).

market.py: the territory simulation (attraction model); bots.py: competitors playing the
four competitive positions; analysis.py: contribution mixes, a SWOT from results, and what
drove share.
"""
