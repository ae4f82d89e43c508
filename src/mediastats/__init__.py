"""mediastats: self-hostable streaming analytics with drop-in vendor APIs."""

__version__ = "0.1.0"
