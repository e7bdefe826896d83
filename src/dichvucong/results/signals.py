"""Announcements of the results context."""

from django.dispatch import Signal

#: Sent INSIDE the issuing transaction (listeners' writes commit or roll back with the result).
#: kwargs: result (ElectronicResult, status issued), actor
result_issued = Signal()
