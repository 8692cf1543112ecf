// Broken: the `cors` package with `origin: true` and `credentials: true` reflects any Origin,
// `null` included — the blind reflection every scanner looks for.
const express = require('express');
const cors = require('cors');
const routes = require('./common');

module.exports = () => routes(express().disable('x-powered-by').use(cors({ origin: true, credentials: true })));
