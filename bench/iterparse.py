#!/usr/bin/env python3
"""Peer for the frebscan benchmark: extract the request headers of FREB traces.

For every file named on the command line (or listed NUL-separated in the
file given with --files0-from, as `find -print0` writes it) it streams the
XML with xml.etree.ElementTree.iterparse, finds the GENERAL_REQUEST_HEADERS
event, splits its Data Name="Headers" field into name/value pairs and
prints one JSON line per file. That is the least a script must do to answer
the question frebscan answers first ("which client, through which proxy,
with which credentials"), so it is the fair yardstick for the "Python
iterparse" row of bench/run.sh.

Elements are cleared as soon as an event ends, so memory stays bounded on a
trace of a gigabyte.
"""
import json
import sys
import xml.etree.ElementTree as ET

NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"
EVENT = NS + "Event"
RENDERING = NS + "RenderingInfo"
OPCODE = NS + "Opcode"
EVENT_DATA = NS + "EventData"
DATA = NS + "Data"


def request_headers(event):
    """Return the headers of a GENERAL_REQUEST_HEADERS event, else None."""
    ri = event.find(RENDERING)
    if ri is None:
        return None
    op = ri.find(OPCODE)
    if op is None or (op.text or "").strip() != "GENERAL_REQUEST_HEADERS":
        return None
    ed = event.find(EVENT_DATA)
    if ed is None:
        return None
    for d in ed.iter(DATA):
        if d.get("Name") == "Headers":
            out = []
            for line in (d.text or "").splitlines():
                name, sep, value = line.partition(":")
                if sep:
                    out.append([name.strip(), value.strip()])
            return out
    return None


def scan(path, out):
    headers = []
    root = None
    try:
        for kind, elem in ET.iterparse(path, events=("start", "end")):
            if root is None and kind == "start":
                root = elem
            if kind == "end" and elem.tag == EVENT:
                h = request_headers(elem)
                if h is not None:
                    headers.append(h)
                # Drop the finished event so a 1 GB trace never builds a tree.
                root.clear()
    except ET.ParseError as e:
        out.write(json.dumps({"file": path, "error": str(e)}) + "\n")
        return
    out.write(json.dumps({"file": path, "headers": headers}) + "\n")


def main(argv):
    paths = argv[1:]
    if len(paths) == 2 and paths[0] == "--files0-from":
        with open(paths[1], "rb") as f:
            paths = [p.decode() for p in f.read().split(b"\0") if p]
    out = sys.stdout
    for p in paths:
        scan(p, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
