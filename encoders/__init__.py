"""The embedding models, offline: locate and verify a packaged model, encode documents at ingest
and questions in the service (sentence-transformers or the ONNX export of the same weights)."""
