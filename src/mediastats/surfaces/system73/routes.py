"""The system73 surface (routes below its prefix are exactly the vendor's)."""

from fastapi import APIRouter

router = APIRouter()
