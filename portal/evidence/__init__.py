"""Evidence files: the kinds of file suppliers may send, and the checks each upload passes before it is kept."""
