// Express with the `cors` package (good): an allowlist array (the package then adds Vary: Origin),
// credentials, the preflight handled by the same middleware for every route.
const express = require('express');
const cors = require('cors');
const routes = require('./common');

const options = {
  origin: ['http://localhost:5173', 'https://app.example.com'],
  credentials: true,
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowedHeaders: ['Authorization', 'Content-Type'],
  exposedHeaders: ['X-Request-Id'],
  maxAge: 600,
};

module.exports = () => routes(express().disable('x-powered-by').use(cors(options)));
