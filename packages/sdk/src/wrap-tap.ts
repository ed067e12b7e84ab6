import { rec } from './fields.js'

/** What a wrapper learns about one call's outcome. Callbacks must not throw. */
export interface CallObserver {
  value(value: unknown): void
  error(error: unknown): void
}

/** What a wrapper learns about a stream, item by item. Callbacks must not throw. */
export interface StreamObserver {
  item(item: unknown): void
  /** The host read to the end, broke out of the loop, or aborted. */
  done(aborted: boolean): void
  error(error: unknown): void
}

interface ApiPromiseLike {
  _thenUnwrap(transform: (value: unknown) => unknown): unknown
  responsePromise?: unknown
  parseResponse?: unknown
}

type ParseResponse = (this: unknown, ...args: unknown[]) => unknown

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function'
}

function hasThenUnwrap(value: unknown): value is ApiPromiseLike {
  return typeof (value as { _thenUnwrap?: unknown } | null | undefined)?._thenUnwrap === 'function'
}

/**
 * Wraps the promise's own parser in place, so the host gets the very object the client
 * returned and nothing new is built per call; false when the parser is not an own property.
 * The callbacks are inline arrows: a named closure per call would also cost a defineProperty
 * under esbuild's keepNames (tsx, vitest).
 */
function tapParser(promise: ApiPromiseLike, observer: CallObserver): boolean {
  const parse = promise.parseResponse
  if (
    typeof parse !== 'function' ||
    !Object.prototype.hasOwnProperty.call(promise, 'parseResponse')
  ) {
    return false
  }
  promise.parseResponse = function (this: unknown, ...args: unknown[]): unknown {
    const parsed = (parse as ParseResponse).apply(this, args)
    if (!isThenable(parsed)) {
      observer.value(parsed)
      return parsed
    }
    return parsed.then(
      (value) => {
        observer.value(value)
        return value
      },
      (error: unknown) => {
        observer.error(error)
        throw error
      },
    )
  }
  return true
}

/**
 * Observes a provider call's result without changing what the host gets. An OpenAI or
 * Anthropic `APIPromise` parses its body only when the host awaits it (or calls
 * `withResponse()`); its parser is tapped in place, or failing that the promise is extended
 * with `_thenUnwrap` (what those SDKs' own helpers use). Either way `.withResponse()` and
 * `.asResponse()` keep working and nothing is parsed before the host asks. Errors are seen on
 * the underlying response promise. A plain promise is observed and returned as is.
 */
export function tapResult(result: unknown, observer: CallObserver): unknown {
  if (hasThenUnwrap(result)) {
    const response = result.responsePromise
    if (isThenable(response)) response.then(undefined, (error: unknown) => observer.error(error))
    if (tapParser(result, observer)) return result
    return result._thenUnwrap((value) => {
      observer.value(value)
      return value
    })
  }
  if (isThenable(result)) {
    result.then(
      (value) => observer.value(value),
      (error: unknown) => observer.error(error),
    )
    return result
  }
  observer.value(result)
  return result
}

type IteratorFactory = (this: unknown) => AsyncIterator<unknown>

/**
 * Taps a provider stream in place: the object the host holds stays the same (its
 * `controller`, `tee()`, `toReadableStream()` and iteration all behave as before), and every
 * iterator it hands out reports items to `observer`. Returns false when the stream has no
 * shape it knows.
 */
export function tapStream(stream: unknown, observer: StreamObserver): boolean {
  const s = rec(stream)
  if (!s) return false
  // Stainless SDKs (openai, @anthropic-ai/sdk) route iteration, tee() and toReadableStream()
  // through the `iterator` factory; anything else is tapped at Symbol.asyncIterator
  const key: 'iterator' | typeof Symbol.asyncIterator =
    typeof s['iterator'] === 'function' ? 'iterator' : Symbol.asyncIterator
  const original = (s as Record<PropertyKey, unknown>)[key]
  if (typeof original !== 'function') return false
  const tapped = tappedFactory(original as IteratorFactory, observer, s)
  const own = Object.getOwnPropertyDescriptor(s, key)
  // the openai and Anthropic Streams keep `iterator` as a plain own field: assigning it keeps
  // the object's shape, where defineProperty would turn it into a slower dictionary object
  if (own?.writable === true && own.enumerable === true && own.configurable === true) {
    ;(s as Record<PropertyKey, unknown>)[key] = tapped
  } else {
    Object.defineProperty(s, key, { configurable: true, writable: true, value: tapped })
  }
  return true
}

/**
 * The replacement iterator factory. Made here rather than inline in the property descriptor:
 * an inline function takes the name `value`, which esbuild's keepNames (tsx, vitest) sets with
 * a defineProperty on every stream.
 */
function tappedFactory(
  factory: IteratorFactory,
  observer: StreamObserver,
  stream: Record<string, unknown>,
): IteratorFactory {
  return function (this: unknown) {
    return new TappedIterator(factory.call(this), observer, stream)
  }
}

/**
 * An iterator that reports what passes through it. A class, so that a stream costs one object
 * and two bound callbacks rather than a closure per method (see CallRecording on keepNames).
 */
class TappedIterator implements AsyncIterator<unknown>, AsyncIterable<unknown> {
  readonly #it: AsyncIterator<unknown>
  readonly #observer: StreamObserver
  readonly #stream: Record<string, unknown>
  readonly #onResult: (result: IteratorResult<unknown>) => void
  readonly #onError: (error: unknown) => void

  constructor(
    it: AsyncIterator<unknown>,
    observer: StreamObserver,
    stream: Record<string, unknown>,
  ) {
    this.#it = it
    this.#observer = observer
    this.#stream = stream
    this.#onResult = this.#result.bind(this)
    this.#onError = this.#error.bind(this)
  }

  next(value?: unknown): Promise<IteratorResult<unknown>> {
    // generators treat next() and next(undefined) alike
    const result = this.#it.next(value)
    // observed beside the host's await rather than in front of it (one promise hop less per
    // item); registered first, so the observer still sees each item before the host does
    void result.then(this.#onResult, this.#onError)
    return result
  }

  return(value?: unknown): Promise<IteratorResult<unknown>> {
    this.#observer.done(true)
    return this.#it.return ? this.#it.return(value) : Promise.resolve({ done: true, value })
  }

  async throw(error?: unknown): Promise<IteratorResult<unknown>> {
    if (this.#it.throw) return this.#it.throw(error)
    throw error
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  #result(result: IteratorResult<unknown>): void {
    if (result.done) this.#observer.done(this.#aborted())
    else this.#observer.item(result.value)
  }

  #aborted(): boolean {
    return (rec(rec(this.#stream['controller'])?.['signal'])?.['aborted'] ?? false) === true
  }

  /** The host meets the error on the promise it holds; this branch only reports it. */
  #error(error: unknown): void {
    this.#observer.error(error)
  }
}
