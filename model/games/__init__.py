"""The crisis models: one module each, registered with ``@register`` and found by ``pkgutil``."""
