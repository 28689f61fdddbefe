"""salestrain: sales-training simulations, case studies and graded exercises."""

from salestrain.base.errors import ContentError, DataError, GradingError, SalestrainError
from salestrain.base.i18n import get_language, set_language, t

__version__ = "0.1.0"

__all__ = [
    "ContentError",
    "DataError",
    "GradingError",
    "SalestrainError",
    "__version__",
    "get_language",
    "set_language",
    "t",
]
