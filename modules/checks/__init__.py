"""Reading and checking the network: the live read-back (live.py), verify, doctor, drift."""
