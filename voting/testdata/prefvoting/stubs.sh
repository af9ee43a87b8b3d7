#!/bin/sh
# Writes the stub modules record.py needs into ./stubs: pref_voting imports
# them at load time, but none of the compared methods calls them.
set -e
mkdir -p stubs/numba stubs/ortools/linear_solver stubs/nashpy
cat > stubs/numba/__init__.py <<'PY'
def jit(*a, **k):
    if len(a) == 1 and callable(a[0]) and not k:
        return a[0]
    return lambda f: f
njit = jit
float32 = float64 = int32 = int64 = None
PY
printf 'def tabulate(*a, **k):\n    return ""\nSEPARATING_LINE = ""\n' > stubs/tabulate.py
printf 'class Timeout(Exception):\n    pass\nclass FileLock:\n    def __init__(self, *a, **k): pass\n    def __enter__(self): return self\n    def __exit__(self, *a): return False\n' > stubs/filelock.py
: > stubs/ortools/__init__.py
printf 'pywraplp = None\n' > stubs/ortools/linear_solver/__init__.py
: > stubs/nashpy/__init__.py
mkdir -p stubs/pandas && : > stubs/pandas/__init__.py
