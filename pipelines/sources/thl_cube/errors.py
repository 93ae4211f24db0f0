"""THL cube errors and constants shared by the URL builder, the parsers and the client."""

SOURCE = "thl_cube"
JSONP_PREFIX = "thl.pivot.loadDimensions("
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


class ThlCubeError(RuntimeError):
    """The THL cube service answered in a way we cannot use; names cube, URL and selectors."""


class ThlCubeNotFound(ThlCubeError):
    """HTTP 404: the cube (subject/hydra/fact) does not exist."""


class ThlQueryRejected(ThlCubeError):
    """HTTP 403: tiku's answer to any server-side error, with an empty body."""


class ThlCubeUnavailable(ThlCubeError):
    """Transient trouble that outlasted the retries (timeouts, 429/5xx): worth a later retry."""
