"""Maintenance — drop staged files older than the retention window.

usage: cleanup.py DAY [DAY...]
"""
import os
import sys

for day in sys.argv[1:]:
    os.remove(f'data/staged/day-{int(day):02d}.jsonl')
    print(f'removed staged day {day}')
