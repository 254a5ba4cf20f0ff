"""The small S3 that workflows (and, later, table export/import) read and write: ``emulator/s3/service.py``."""
