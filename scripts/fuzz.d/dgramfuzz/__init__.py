"""dgramfuzz: the differential fuzzer behind ``scripts/fuzz``.

Cases are sequences of calls on dgram's API whose arguments are JS values,
each with its Python twin (``values``).  ``generate`` draws them from a seed,
the Node runner (``runner.js``) and the Python runner (``runner_py.py``)
execute them and record what happens, ``compare`` groups the differences,
``render`` writes each case as copy-pasteable JS and Python, ``shrink``
minimises a failing case, and ``cli`` ties it together.  docs/fuzz.md is the
user's guide.
"""
