"""Crisis bargaining models, solvers and certificates (depends on numpy, scipy and nashpy only)."""
