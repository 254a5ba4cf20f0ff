"""The control path's endpoints, one module per concern (see :mod:`emulator.wire.control`).

Every module of this package is imported on the first control request; each registers its routes
with :func:`emulator.wire.control.route` when imported.
"""
