"""Telling people things: the mail outbox for admins, the scheduled sending (``send-due``)."""
