"""Figures cached under data versions (`figures`), and the data-version rows themselves
(`models`), which database triggers change whenever a watched table is written."""
