// Express with a hand-written CORS middleware (good): an allowlist, credentials, Vary: Origin,
// preflights answered before any route, and the headers set before the routes run so error
// responses carry them too.
const express = require('express');
const routes = require('./common');

const ALLOWED = new Set(['http://localhost:5173', 'https://app.example.com']);

function cors(req, res, next) {
  const origin = req.headers.origin;
  res.vary('Origin');
  if (origin && ALLOWED.has(origin)) {
    res.set('Access-Control-Allow-Origin', origin);
    res.set('Access-Control-Allow-Credentials', 'true');
    res.set('Access-Control-Expose-Headers', 'X-Request-Id');
  }
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    if (origin && ALLOWED.has(origin)) {
      res.set('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
      res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.set('Access-Control-Max-Age', '600');
    }
    return res.status(204).end();
  }
  next();
}

module.exports = () => routes(express().disable('x-powered-by').use(cors));
