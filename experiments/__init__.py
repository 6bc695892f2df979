"""Sweeps over crisis models: declared in TOML, run in parallel, stored as Parquet with provenance.

A sweep is a pure function of a config file: the design (a full grid or a Latin hypercube over
named, bounded parameters) is split into chunks, each chunk is solved in one vectorised call, and
each result is written as one Parquet shard next to a ``manifest.json`` that records the config
hash, the seeds, the package versions and the git revision.

Modules
-------
``config``      read and validate sweep configs (``experiments/configs/*.toml``).
``design``      grid and Latin-hypercube designs, per-row seeds.
``runner``      chunking, vectorised evaluation, shards, manifest, resume.
``backends``    where chunks run: in process or with joblib.
``provenance``  versions, git revision, timestamps, atomic writes.
``results``     load stored results and manifests.
``reproduce``   run every bundled sweep, then draw every figure.
``paths``       the one module that knows where things live.
``cli``         the ``crisis`` command.
"""
