"""After a process's first request, what it has loaded is frozen out of the garbage collector's full passes.

Once Django, Wagtail and a first page are loaded, a worker holds some 250,000 objects the cyclic
garbage collector tracks (modules, functions, classes, URL patterns, compiled templates), nearly
all of them alive until the worker exits. Every full pass walks them all: 90–140 ms on the
benchmark machine, a pause that falls on whichever request tips the count. At 100,000 cases it
was the slowest search in a benchmark run (a phrase search at 287 ms instead of 155). Python's
`gc.freeze()` moves every object alive at that moment to a permanent generation that later passes
skip, "to speed up collection" (the gc module's documentation); frozen objects are still freed
by reference counting when nothing refers to them any more, so a catalogue index replaced later
goes as before. What the first request left as cyclic garbage stays, once per process.
"""

import gc

from django.core.signals import request_finished


def freeze_after_first_request(**kwargs):
    request_finished.disconnect(freeze_after_first_request, dispatch_uid=__name__)
    gc.freeze()


def connect():
    request_finished.connect(freeze_after_first_request, dispatch_uid=__name__)
