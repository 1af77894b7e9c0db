"""The progress line long-running management commands print: «[ 500/1000]  50 %  477 sider/s».

On a terminal the line is rewritten in place; in logs (CI, cron) one line per whole percent.
"""

import time


class Progress:
    def __init__(self, stdout, label="    ", unit="sider/s"):
        self.stdout, self.label, self.unit = stdout, label, unit
        self.started = time.perf_counter()
        self.in_place = stdout.isatty()
        self.last_percent = -1

    def __call__(self, done, total):
        percent = 100 * done // total if total else 100
        if not self.in_place and percent == self.last_percent and done != total:
            return
        self.last_percent = percent
        elapsed = time.perf_counter() - self.started
        rate = done / elapsed if elapsed else 0.0
        width = len(str(total))
        line = f"{self.label}[{done:>{width}}/{total}] {percent:3d} %  {rate:,.0f} {self.unit}".replace(",", " ")
        if self.in_place:
            self.stdout.write("\r" + line, ending="\n" if done >= total else "")
            self.stdout.flush()
        else:
            self.stdout.write(line)
