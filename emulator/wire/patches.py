"""The botocore seams the boto3 hook patches, each with the signature it was written against.

``mock_aws`` replaces a few attributes of botocore classes (``Endpoint._send``,
``JSONParser._do_parse``, ...; see :mod:`emulator.wire.boto`). Some are private, so a botocore
release may rename them or change what they take; pyproject.toml bounds botocore from above for
that reason, and ``tests/wire/test_boto_hook_seams.py`` checks every seam against the installed
botocore. At run time a patch is applied only where its seam still *fits*: the attribute exists
and can be called the way the replacement calls it. Where one does not, the hook takes its
fallback instead of failing (for ``Endpoint._send``, the public ``before-send`` event).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["ClassPatch", "Seam"]

_MISSING: Any = object()
_STARS: dict[Any, str] = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}


@dataclass(frozen=True)
class Seam:
    """An attribute of a class that the hook calls as ``cls.name(*params)``.

    ``params`` names its parameters as they are declared, ``*args``/``**kwargs`` with their stars;
    the hook passes the plain ones positionally."""

    cls: type
    name: str
    params: tuple[str, ...]

    def current(self) -> Any:
        """The attribute as the class has it now (``None`` when it is gone)."""
        return getattr(self.cls, self.name, None)

    def parameters(self) -> tuple[str, ...] | None:
        """The attribute's parameter names, or None when it is missing or not introspectable."""
        found = self.current()
        if found is None or not callable(found):
            return None
        try:
            parameters = inspect.signature(found).parameters.values()
        except (TypeError, ValueError):
            return None
        return tuple(_STARS.get(p.kind, "") + p.name for p in parameters)

    def fits(self) -> bool:
        """Whether the attribute exists and accepts ``params`` positionally."""
        found = self.current()
        if found is None or not callable(found):
            return False
        try:
            inspect.signature(found).bind(*(p for p in self.params if not p.startswith("*")))
        except (TypeError, ValueError):
            return False
        return True


class ClassPatch:
    """Replace one attribute of a botocore class while mocked; put back exactly what was there.

    ``params`` is the seam's signature; ``uses`` are further seams the replacement calls.
    """

    __slots__ = ("cls", "name", "replacement", "original", "was_own", "seam", "uses")

    def __init__(
        self,
        cls: type,
        name: str,
        replacement: Callable[..., Any],
        params: tuple[str, ...],
        uses: tuple[Seam, ...] = (),
    ) -> None:
        self.cls, self.name, self.replacement = cls, name, replacement
        self.seam = Seam(cls, name, params)
        self.uses = uses
        self.original: Any = getattr(cls, name, None)
        self.was_own = False

    def seams(self) -> tuple[Seam, ...]:
        return (self.seam, *self.uses)

    def fits(self) -> bool:
        """Whether every seam of this patch is still where the replacement expects it."""
        if self.applied:
            return True
        return all(seam.fits() for seam in self.seams())

    @property
    def applied(self) -> bool:
        return self.cls.__dict__.get(self.name, _MISSING) is self.replacement

    def apply(self) -> bool:
        """Patch the class if the seams fit; return whether the patch is in place."""
        if self.applied:
            return True
        if not self.fits():
            return False
        self.was_own = self.name in self.cls.__dict__
        self.original = getattr(self.cls, self.name)
        setattr(self.cls, self.name, self.replacement)
        return True

    def undo(self) -> None:
        if self.applied:
            if self.was_own:
                setattr(self.cls, self.name, self.original)
            else:
                delattr(self.cls, self.name)
