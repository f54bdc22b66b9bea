/**
 * The pack thread (see pack-thread.ts): makes each pack it is sent and
 * writes it under the assets folder being made, then takes its size off the
 * bytes in flight.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { assetFileWriter } from './asset-files.ts'
import { packFile } from './pack-file.ts'
import { FAILED, IN_FLIGHT, type PackJob, type PackReply } from './pack-thread.ts'

const { shared, folder } = workerData as { shared: Int32Array; folder: string }
const writeAsset = assetFileWriter(folder)

parentPort!.on('message', (job: PackJob) => {
  let reply: PackReply
  try {
    const { bytes, largest } = packFile(job.sources)
    writeAsset(job.path, bytes)
    reply = { id: job.id, bytes: bytes.byteLength, largest }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    // The prerender learns of it at its next pack, blocked or not; the reply comes after it.
    console.error(`[prerender] writing ${job.path}: ${message}`)
    Atomics.store(shared, FAILED, 1)
    reply = { id: job.id, error: message }
  }
  Atomics.sub(shared, IN_FLIGHT, job.size)
  parentPort!.postMessage(reply)
})
