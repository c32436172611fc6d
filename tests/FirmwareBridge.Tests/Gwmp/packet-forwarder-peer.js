// Drives the independent npm client packet-forwarder@1.0.8 against our GWMP server (started by the C# test).
// Usage: node packet-forwarder-peer.js <node_modules dir> <server port> <gateway EUI hex> <uplink count>
// Prints one JSON object describing what the npm client saw; exits 1 if an expected acknowledgement never came.
'use strict'
const path = require('path')
const PacketForwarder = require(path.join(process.argv[2], 'packet-forwarder'))

const port = Number(process.argv[3])
const gateway = process.argv[4]
const count = Number(process.argv[5])

function within (ms, promise) {
  return Promise.race([promise.then(() => true), new Promise(resolve => setTimeout(() => resolve(false), ms))])
}

function uplink (i) {
  const data = Buffer.from([0x40, 0x01, 0x02, 0x03, 0x04, 0x00, i & 0xff, 0x00, 0x01, 0xaa, 0xbb, 0xcc, 0xdd, 0xee])
  return {
    rxpk: [{
      time: '2018-05-01T12:00:00Z',
      tmms: null,
      tmst: 1525168800 + i,
      freq: 868.3,
      chan: null,
      rfch: 0,
      stat: 1,
      modu: 'LORA',
      datr: 'SF8BW125',
      codr: '4/5',
      rssi: -97 - i,
      lsnr: 12,
      size: data.length,
      data: data.toString('base64')
    }]
  }
}

async function main () {
  const forwarder = new PacketForwarder({ gateway, target: '127.0.0.1', port })
  const seen = []
  forwarder.on('message', msg => seen.push({ version: msg[0], token: msg.slice(1, 3).toString('hex'), type: msg[3], length: msg.length }))

  let acked = 0
  for (let i = 0; i < count; i++) {
    if (await within(5000, forwarder.sendUplink(uplink(i)))) acked++
  }

  // A datagram our server must refuse: size disagrees with data. The npm client must see no PUSH_ACK for it.
  const bad = uplink(99)
  bad.rxpk[0].size = 99
  const badAcked = await within(500, forwarder.sendUplink(bad))

  // packet-forwarder has no PULL_DATA API, so the keep-alive is written by hand on the library's own socket.
  const token = Buffer.from([0x5a, 0xa5])
  const pull = Buffer.concat([Buffer.from([2]), token, Buffer.from([2]), Buffer.from(gateway, 'hex')])
  const pullAcked = await within(5000, new Promise(resolve => {
    forwarder.on('message', msg => { if (msg[3] === 4 && msg.slice(1, 3).equals(token)) resolve() })
    forwarder.socket.send(pull, port, '127.0.0.1')
  }))

  await forwarder.close()
  process.stdout.write(JSON.stringify({ acked, badAcked, pullAcked, seen }) + '\n')
  process.exit(acked === count && pullAcked ? 0 : 1)
}

main().catch(err => { console.error(err); process.exit(2) })
