// Loopback HTTP server for the differential check's wasi:http runs, started by
// differential.mjs in a process of its own: jco's transpiled fetch blocks Node's event
// loop, so a server in the harness's own process would never answer.
// Two listeners on 127.0.0.1: "allowed" answers; "refused" answers too, but only counts,
// so a test can show that a refused destination was never connected to.
//   GET|POST /echo     -> 200 "<METHOD> <body>", header x-echo = request's x-grain-test (or "none")
//   /status/<code>     -> <code>, empty body
// Sends {"ports":{"allowed":p,"refused":q}} over IPC once listening; answers "counts"
// with {"allowed":n,"refused":n}; exits when its parent disconnects.
import { createServer } from 'node:http';

const counts = { allowed: 0, refused: 0 };

function listener(name) {
  return createServer((req, res) => {
    counts[name]++;
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const status = /^\/status\/(\d{3})$/.exec(req.url ?? '');
      if (status) {
        res.writeHead(Number(status[1]));
        res.end();
        return;
      }
      const body = Buffer.from(`${req.method} ${Buffer.concat(chunks).toString('utf8')}`);
      res.writeHead(200, { 'content-type': 'text/plain', 'x-echo': req.headers['x-grain-test'] ?? 'none' });
      res.end(body);
    });
  });
}

const listen = (server) => new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server.address().port)));
const ports = { allowed: await listen(listener('allowed')), refused: await listen(listener('refused')) };
process.on('message', (m) => {
  if (m === 'counts') process.send({ ...counts });
});
process.on('disconnect', () => process.exit(0));
process.send({ ports });
