"""RFID traceability on EPCIS 2.0 (issue 9, in progress: event checking and normalising)."""
