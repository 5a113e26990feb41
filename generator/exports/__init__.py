"""Question-bank exports for learning platforms: GIFT, Moodle XML and IMS QTI 1.2."""
