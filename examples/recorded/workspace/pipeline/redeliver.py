"""Maintenance — a supplier re-delivers corrected raw files, overwriting the earlier delivery.

usage: redeliver.py CORRECTIONS_DIR DAY [DAY...]
"""
import shutil
import sys

corrections = sys.argv[1]
for day in sys.argv[2:]:
    shutil.copyfile(f'{corrections}/day-{int(day):02d}.csv', f'data/raw/day-{int(day):02d}.csv')
    print(f're-delivered day {day}')
