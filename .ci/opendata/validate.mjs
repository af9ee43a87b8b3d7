// Validates the opendata example's output with real validators:
//   - catalog.ttl and catalog.jsonld (and every hydra page) against the
//     DCAT-AP 3.0.1 SHACL shapes (shapes/: dcat-ap-SHACL.ttl, ranges.ttl,
//     mdr-vocabularies.shape.ttl) with rdf-validate-shacl;
//   - data.json against the non-federal Project Open Data v1.1 schemas that
//     data.gov's harvester applies, and against the POD v1.1 catalog,
//     distribution, vcard and organization schemas, with ajv (draft-04).
// Usage: node validate.mjs DIR
// Exit status 1 on any violation (SHACL sh:Violation, JSON schema error).
// SHACL warnings are listed but do not fail the run.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import N3 from 'n3'
import { JsonLdParser } from 'jsonld-streaming-parser'
import SHACLValidator from 'rdf-validate-shacl'
import Ajv4 from 'ajv-draft-04'
import addFormats from 'ajv-formats'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { Package } = require('datapackage')

const here = path.dirname(fileURLToPath(import.meta.url))
const dir = process.argv[2]
if (!dir) {
  console.error('usage: node validate.mjs DIR')
  process.exit(2)
}

const SH = 'http://www.w3.org/ns/shacl#'
let failures = 0
let checks = 0

function parseTurtle (text, baseIRI) {
  const store = new N3.Store()
  store.addQuads(new N3.Parser({ baseIRI }).parse(text))
  return store
}

function parseJSONLD (text, baseIRI) {
  return new Promise((resolve, reject) => {
    const store = new N3.Store()
    const parser = new JsonLdParser({
      baseIRI,
      // No remote context may be fetched: the writer inlines its context.
      documentLoader: { load: async (url) => { throw new Error('remote context refused: ' + url) } }
    })
    parser.on('data', (q) => store.addQuad(q))
    parser.on('error', reject)
    parser.on('end', () => resolve(store))
    parser.write(text)
    parser.end()
  })
}

function loadShapes () {
  const shapes = new N3.Store()
  for (const f of ['dcat-ap-SHACL.ttl', 'ranges.ttl', 'mdr-vocabularies.shape.ttl', 'shapes_recommended.ttl']) {
    const text = fs.readFileSync(path.join(here, 'shapes', f), 'utf8')
    shapes.addQuads(new N3.Parser({ baseIRI: 'http://data.europa.eu/r5r/' }).parse(text))
  }
  return shapes
}

async function shacl (shapes, name, data) {
  const validator = new SHACLValidator(shapes, { importGraph: () => new N3.Store() })
  checks++
  const report = await validator.validate(data)
  let violations = 0
  let warnings = 0
  for (const r of report.results) {
    const sev = r.severity ? r.severity.value.replace(SH, '') : 'Violation'
    const line = `${name}: ${sev}: ${r.focusNode && r.focusNode.value} ${r.path ? r.path.value : ''}: ${r.message.map((m) => m.value).join('; ')}`
    if (sev === 'Violation') {
      violations++
      console.error(line)
    } else {
      warnings++
      if (process.env.VERBOSE) console.log(line)
    }
  }
  console.log(`${name}: SHACL DCAT-AP 3.0.1: ${data.size} triples, ${violations} violations, ${warnings} warnings`)
  if (violations > 0) failures++
  return { violations, warnings, size: data.size }
}

function readJSON (...p) {
  return JSON.parse(fs.readFileSync(path.join(...p), 'utf8'))
}

function newAjv () {
  const ajv = new Ajv4({ allErrors: true, strict: false, unicodeRegExp: false })
  addFormats(ajv)
  return ajv
}

function report (name, validate, data) {
  checks++
  const ok = validate(data)
  const n = ok ? 0 : validate.errors.length
  if (!ok) {
    for (const e of validate.errors) console.error(`${name}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
    failures++
  }
  console.log(`${name}: ${n} errors`)
}

function validateDataJSON (file) {
  const data = readJSON(file)
  const nf = path.join(here, 'schemas', 'non-federal-v1.1')
  const pod = path.join(here, 'schemas', 'pod-v1.1')

  // 1. data.gov harvester, non-federal profile: catalog + dataset-non-federal.
  let ajv = newAjv()
  ajv.addSchema(readJSON(nf, 'dataset-non-federal.json'), 'dataset-non-federal.json')
  report('data.json vs non-federal v1.1 catalog.json', ajv.compile(readJSON(nf, 'catalog.json')), data)

  // 2. POD v1.1 catalog schema, its datasets checked with the non-federal
  //    dataset schema (the federal one requires US bureau and program codes).
  ajv = newAjv()
  const nfDataset = readJSON(nf, 'dataset-non-federal.json')
  ajv.addSchema({ ...nfDataset, id: 'https://project-open-data.cio.gov/v1.1/schema/dataset.json#' })
  report('data.json vs POD v1.1 catalog.json', ajv.compile(readJSON(pod, 'catalog.json')), data)

  // 3. POD v1.1 component schemas on every distribution, contact point and publisher.
  ajv = newAjv()
  const dist = ajv.compile(readJSON(pod, 'distribution.json'))
  const org = ajv.compile(readJSON(pod, 'organization.json'))
  const vcard = ajv.compile(readJSON(pod, 'vcard.json'))
  checks++
  let errors = 0
  for (const [i, d] of (data.dataset || []).entries()) {
    const check = (what, v, x) => {
      if (!v(x)) {
        errors += v.errors.length
        for (const e of v.errors) console.error(`data.json dataset[${i}].${what}${e.instancePath} ${e.message}`)
      }
    }
    for (const [j, x] of (d.distribution || []).entries()) check(`distribution[${j}]`, dist, x)
    if (d.publisher) check('publisher', org, d.publisher)
    if (d.contactPoint) check('contactPoint', vcard, d.contactPoint)
  }
  if (errors > 0) failures++
  console.log(`data.json vs POD v1.1 distribution/organization/vcard schemas: ${errors} errors`)
}

// datapackage.json is a Data Package v2 descriptor; the validator (the
// Frictionless JavaScript library) knows the v1 profiles, which v2 keeps
// compatible. A v2 table resource ("type": "table") is checked with the v1
// tabular-data-resource profile, so that its Table Schema is validated too.
async function validateDataPackage (file) {
  checks++
  const descriptor = readJSON(file)
  for (const r of descriptor.resources || []) {
    if (r.type === 'table') r.profile = 'tabular-data-resource'
  }
  const pkg = await Package.load(descriptor, { strict: false })
  const errors = [...pkg.errors.map((e) => e.message)]
  let tables = 0
  for (const r of pkg.resources) {
    if (r.tabular) tables++
    for (const e of r.errors) errors.push(`resource ${r.name}: ${e.message}`)
  }
  for (const e of errors) console.error('datapackage.json: ' + e)
  if (errors.length > 0 || tables === 0) failures++
  console.log(`datapackage.json vs Data Package profiles: ${pkg.resources.length} resources (${tables} tables), ${errors.length} errors`)
}

const shapes = loadShapes()
const rdfFiles = ['catalog.ttl', 'catalog.jsonld']
const pagesDir = path.join(dir, 'pages')
if (fs.existsSync(pagesDir)) {
  for (const f of fs.readdirSync(pagesDir).sort()) rdfFiles.push(path.join('pages', f))
}
const sizes = {}
for (const f of rdfFiles) {
  const text = fs.readFileSync(path.join(dir, f), 'utf8')
  const base = 'https://example.invalid/' + f
  const data = f.endsWith('.ttl') ? parseTurtle(text, base) : await parseJSONLD(text, base)
  const r = await shacl(shapes, f, data)
  sizes[f] = r.size
}
checks++
if (sizes['catalog.ttl'] !== sizes['catalog.jsonld']) {
  console.error(`catalog.ttl has ${sizes['catalog.ttl']} triples but catalog.jsonld ${sizes['catalog.jsonld']}`)
  failures++
}
validateDataJSON(path.join(dir, 'data.json'))
await validateDataPackage(path.join(dir, 'datapackage.json'))

console.log(`validators: ${checks - failures} passed, ${failures} failed`)
if (failures > 0) process.exit(1)
