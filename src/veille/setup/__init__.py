"""Setting Veille up for one business: the official commune list, the trades, the profile
built from a form or the command line, and the watches proposed from it."""
