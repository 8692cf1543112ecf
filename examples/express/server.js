// Starts the three Express examples on loopback (make example-express-start):
//   127.0.0.1:18184  manual.js        hand-written middleware, allowlist    (good)
//   127.0.0.1:18185  cors-package.js  the cors package, allowlist           (good)
//   127.0.0.1:18186  reflect.js       the cors package with origin: true    (broken: reflects any origin)
// Debian's node-express and node-cors live in /usr/share/nodejs (NODE_PATH).
const apps = [[18184, require('./manual')], [18185, require('./cors-package')], [18186, require('./reflect')]];
let listening = 0;
for (const [port, make] of apps) {
  make().listen(port, '127.0.0.1', () => {
    if (++listening === apps.length) console.log('express examples listening on 18184, 18185, 18186');
  });
}
process.on('SIGTERM', () => process.exit(0));
