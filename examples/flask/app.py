"""Flask with flask-cors (good): an allowlist, credentials, exposed X-Request-Id.

Started by `make example-flask-start` on 127.0.0.1:18187; probed by examples/flask/probe.yaml.
flask-cors adds Vary: Origin when the allowed origin depends on the request, answers preflights
itself, and (by default) also decorates error responses.
"""
from flask import Flask, jsonify
from flask_cors import CORS

app = Flask(__name__)
CORS(app,
     origins=["http://localhost:5173", "https://app.example.com"],
     supports_credentials=True,
     methods=["GET", "POST", "PUT", "DELETE"],
     allow_headers=["Authorization", "Content-Type"],
     expose_headers=["X-Request-Id"],
     max_age=600)


@app.get("/api/orders")
def orders():
    resp = jsonify(orders=[])
    resp.headers["X-Request-Id"] = "r-1"
    return resp


@app.put("/api/orders")
def save():
    return jsonify(saved=True)


@app.get("/api/fail")
def fail():
    return jsonify(error="boom"), 500


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=18187, threaded=True)
