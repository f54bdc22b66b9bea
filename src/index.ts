import content from '../generated/content.js'
import { createApp } from './http/app.ts'

/** The worker: the compiled articles from seeds/, served by the app. */
export default createApp({ content })
