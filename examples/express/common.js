// Routes shared by the Express examples: a list, an update (needs a preflight), a failing route.
module.exports = function routes(app) {
  app.get('/api/orders', (req, res) => res.set('X-Request-Id', 'r-1').json({ orders: [] }));
  app.put('/api/orders', (req, res) => res.json({ saved: true }));
  app.get('/api/fail', (req, res) => res.status(500).json({ error: 'boom' }));
  return app;
};
