"""croniter's answers for the cron agreement test (Tests/TuttiDomainTests/Schedules).

Reads a JSON array of cases from standard input, each {"cron", "time_zone", "start" (Unix
seconds), "count"}, and writes one JSON array with, per case, croniter's next `count` times
after `start` evaluated in the zone: {"t": Unix seconds, "local": ISO 8601 with offset,
"second": whether this is the second time that wall-clock time occurs (the clocks went back
over it), as zoneinfo's fold says}. Run by the interpreter ops/test exports as
TUTTI_TEST_PYTHON (croniter is pinned in ops/test-requirements.txt).
"""
import json
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from croniter import croniter


def second_occurrence(moment, zone):
    naive = moment.replace(tzinfo=None)
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    return first.utcoffset() > second.utcoffset() and moment.timestamp() == second.timestamp()


def main():
    answers = []
    for case in json.load(sys.stdin):
        zone = ZoneInfo(case["time_zone"])
        iterator = croniter(case["cron"], datetime.fromtimestamp(case["start"], zone))
        times = []
        for _ in range(case["count"]):
            moment = iterator.get_next(datetime)
            times.append({"t": int(moment.timestamp()), "local": moment.isoformat(), "second": second_occurrence(moment, zone)})
        answers.append(times)
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()
