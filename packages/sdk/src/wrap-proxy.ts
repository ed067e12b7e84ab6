type AnyFunction = (...args: unknown[]) => unknown

/** Builds the replacement of one method from the original (already bound to its object). */
export type MethodWrapper = (original: AnyFunction) => AnyFunction

/** Which parts of a client object a wrapper replaces. */
export interface ProxySpec {
  /** Methods replaced by their wrapped version. */
  methods?: Record<string, MethodWrapper>
  /** Properties that are resources themselves, proxied by their own spec. */
  children?: Record<string, ProxySpec>
  /**
   * Helper methods run with `this` = the proxy (and `this._client` = the root proxy), so the
   * calls they make internally (`stream()` → `create()`) go through the wrapped methods.
   */
  viaProxy?: readonly string[]
}

/**
 * A Proxy that changes only what `spec` names and forwards everything else to `target`:
 * methods are bound to the real object (SDK classes keep #private fields, which a Proxy
 * receiver cannot read), and `instanceof` still holds. The host's object is not modified.
 */
export function proxyClient<T extends object>(target: T, spec: ProxySpec): T {
  return proxyWith(target, spec, undefined)
}

function proxyWith<T extends object>(target: T, spec: ProxySpec, root: object | undefined): T {
  const bound = new WeakMap<AnyFunction, AnyFunction>()
  const children = new WeakMap<object, object>()
  const methods = spec.methods ?? {}
  const childSpecs = spec.children ?? {}
  const viaProxy = new Set(spec.viaProxy ?? [])
  const proxy: T = new Proxy(target, {
    get(obj, prop) {
      if (prop === '_client' && root !== undefined) return root
      const value: unknown = Reflect.get(obj, prop, obj)
      if (typeof prop !== 'string') return bindTo(value, obj, bound)
      const childSpec = childSpecs[prop]
      if (childSpec && typeof value === 'object' && value !== null) {
        let child = children.get(value)
        if (!child) {
          child = proxyWith(value, childSpec, root ?? proxy)
          children.set(value, child)
        }
        return child
      }
      if (typeof value !== 'function') return value
      const fn = value as AnyFunction
      let wrapped = bound.get(fn)
      if (!wrapped) {
        const wrapper = methods[prop]
        if (wrapper) wrapped = wrapper(fn.bind(obj))
        else if (viaProxy.has(prop)) wrapped = (...args: unknown[]) => fn.apply(proxy, args)
        else wrapped = fn.bind(obj)
        bound.set(fn, wrapped)
      }
      return wrapped
    },
  })
  return proxy
}

function bindTo(value: unknown, obj: object, cache: WeakMap<AnyFunction, AnyFunction>): unknown {
  if (typeof value !== 'function') return value
  const fn = value as AnyFunction
  let wrapped = cache.get(fn)
  if (!wrapped) {
    wrapped = fn.bind(obj)
    cache.set(fn, wrapped)
  }
  return wrapped
}
