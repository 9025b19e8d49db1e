"""Host side of the QEMU kdump harness (python3 stdlib only).

machines    the one table of machines: QEMU arguments, the shape each must show, what it is for
qemu        runs QEMU with timeouts, talks QMP (crash hotplug, the post-mortem of a silent kdump kernel)
console     the console log split into markers and sections
parsers     FDT, ELF and address-range readers, written apart from jkexec on purpose
checks      one module per check family, each returning Check records
report      summary.txt and result.json of one run, the table over runs, a run's outcome
cli         the commands of scripts/e2e/e2e.py
"""
