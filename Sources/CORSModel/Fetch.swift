/// The fetch algorithm as a browser runs it for one script request: request construction
/// (fetch#dom-request, xhr#the-send()-method), main fetch (fetch#concept-main-fetch), the preflight
/// (fetch#cors-preflight-fetch-0) and its cache, the CORS check on every response, redirects
/// (fetch#http-redirect-fetch) and response filtering. Pure: responses come from `network`.
public struct Fetch {
    public let profile: EngineProfile
    public let tracing: Bool

    public init(profile: EngineProfile, tracing: Bool = false) {
        self.profile = profile
        self.tracing = tracing
    }

    /// Runs `request` from a page of origin `page`, updating `state` (clock, preflight cache).
    public func run<N: Network>(_ request: ScriptRequest, page: Origin, state: inout BrowserState, network: inout N) -> FetchResult {
        var run = Run(profile: profile, tracing: tracing, request: request, page: page)
        run.execute(state: &state, network: &network)
        return (consume run).result   // no copy of the result
    }
}

/// One evaluation in progress. Kept separate from `Fetch` so the algorithm reads top to bottom.
struct Run {
    let profile: EngineProfile
    let tracing: Bool
    let request: ScriptRequest
    let page: Origin
    let firstURL: WebURL
    /// The page origin serialized once (it is compared and sent on every hop).
    let pageSerialized: String

    var result: FetchResult
    var sawUnscripted = false
    /// fetch#concept-request-tainted-origin: once set, the request origin serializes as `null`.
    var tainted = false
    /// Redirect-taint `cross-site`: a hop left a URL that is not same-site with the page for another site.
    var crossSiteTaint = false
    /// Console lines of the script's own calls (before anything is sent), printed before the rest.
    var scriptMessages: [String] = []
    /// The request's referrer policy; a redirect's `Referrer-Policy` header replaces it.
    var referrerPolicy: ReferrerPolicy
    /// The Referer of the current hop. fetch#concept-main-fetch determines the request's referrer
    /// on every hop from the one before, so once a hop has none (`no-referrer`), later hops have
    /// none either, whatever a redirect's Referrer-Policy says (Chromium, Firefox and WebKitGTK agree).
    var hopHasReferer = false
    var referrerGone = false
    /// `Referer: <page>/` (the document URL cases imply, see Referrer), built once when first needed.
    var refererHeader: Header?

    /// Appends this hop's `Referer`, if it has one.
    mutating func appendReferer(to list: inout HeaderList) {
        guard hopHasReferer else { return }
        if refererHeader == nil { refererHeader = Header(modelName: "Referer", lowercasedName: "referer", value: pageSerialized + "/") }
        list.append(refererHeader.unsafelyUnwrapped)
    }

    init(profile: EngineProfile, tracing: Bool, request: ScriptRequest, page: Origin) {
        self.profile = profile
        self.tracing = tracing
        self.request = request
        self.page = page
        self.firstURL = request.url
        self.pageSerialized = page.serialized
        self.referrerPolicy = request.api == .fetch ? request.referrerPolicy : .strictOriginWhenCrossOrigin
        self.tracer = tracing ? Tracer() : nil
        self.result = FetchResult(outcome: .blocked, failure: nil, status: nil, responseType: "error", exposed: [],
                                  requests: [], responses: [], messages: [], trace: [], caseError: nil)
        result.requests.reserveCapacity(2)
        result.responses.reserveCapacity(2)
    }

    /// Collects trace steps; a reference so that `note` need not mutate the run (and texts are only
    /// built when tracing).
    final class Tracer { var steps: [TraceStep] = [] }
    let tracer: Tracer?

    @inline(__always)
    func note(_ anchor: String, _ text: @autoclosure () -> String) {
        tracer?.steps.append(TraceStep(anchor: anchor, text: text()))
    }

    mutating func block(_ failure: Failure) {
        result.outcome = .blocked
        result.failure = failure
        result.status = nil
        result.responseType = "error"
        result.exposed = []
        note(failure.reason.specAnchor, "Network error: \(failure.reason.rawValue) at stage \(failure.stage.rawValue).")
    }

    mutating func send<N: Network>(_ req: HTTPRequest, network: inout N) -> HTTPResponse? {
        result.requests.append(req)
        switch network.send(req) {
        case .success(let response):
            result.responses.append(response)
            note(req.isPreflight ? "fetch#cors-preflight-fetch-0" : "fetch#http-network-fetch",
                 "\(req.method) \(req.url) → \(response.status)")
            return response
        case .failure(.unscripted(let key)):
            result.caseError = "the case does not script a response for \"\(key)\""
            sawUnscripted = true
            return nil
        case .failure(.connection(let detail)):
            var f = Failure(reason: .networkFailure, stage: req.isPreflight ? .preflight : .actual, url: req.url)
            f.detail = detail
            block(f)
            return nil
        }
    }

    mutating func execute<N: Network>(state: inout BrowserState, network: inout N) {
        // MARK: Request construction (fetch#dom-request, xhr#the-open()-method, xhr#the-send()-method)
        let isFetch = request.api == .fetch
        if isFetch && request.url.includesCredentials {
            block(Failure(reason: .urlCredentials, stage: .request, url: request.url)); return finish()
        }
        guard HTTPToken.isToken(request.method) else {
            block(Failure(reason: .invalidMethod, stage: .request, url: request.url)); return finish()
        }
        if Method.isForbidden(request.method) {
            note("fetch#forbidden-method", "\(request.method) is a forbidden method: \(isFetch ? "TypeError" : "SecurityError") before anything is sent.")
            block(Failure(reason: .forbiddenMethod, stage: .request, url: request.url)); return finish()
        }
        var method = Method.normalize(request.method)
        if method != request.method { note("fetch#concept-method-normalize", "Method \(request.method) normalised to \(method).") }
        let mode: RequestMode = isFetch ? request.mode : .cors
        let redirectMode: RedirectMode = isFetch ? request.redirect : .follow
        let credentials = request.effectiveCredentials
        let include = credentials == .include
        if !isFetch {
            note("xhr#the-withcredentials-attribute", "XMLHttpRequest: mode cors, credentials mode \(credentials.rawValue) (withCredentials \(request.withCredentials)).")
        }
        if isFetch && mode == .noCORS && !Method.isCORSSafelisted(method) {
            block(Failure(reason: .noCORSMethod, stage: .request, url: request.url)); return finish()
        }
        if isFetch && request.cache == .onlyIfCached && mode != .sameOrigin {
            block(Failure(reason: .onlyIfCachedMode, stage: .request, url: request.url)); return finish()
        }
        // A ReadableStream body: each engine does its own thing (EngineProfile.streamUploads).
        var streamBody = isFetch && request.bodyIsStream && request.body != nil
        if streamBody {
            switch profile.streamUploads {
            case .spec:
                note("fetch#concept-body-source", "The body is a stream: its source is null, so it cannot be sent twice.")
            case .unsupported:
                note("fetch#dom-request", "This engine cannot upload a stream: the fetch is rejected before anything is sent.")
                block(Failure(reason: .streamBodyUnsupported, stage: .request, url: request.url)); return finish()
            case .stringified:
                note("fetch#dom-request", "This engine has no streaming uploads: the stream becomes the string body \"[object ReadableStream]\".")
                streamBody = false
            }
        }
        var body = request.body
        if body != nil && (method == "GET" || method == "HEAD") {
            if isFetch { block(Failure(reason: .bodyWithGetOrHead, stage: .request, url: request.url)); return finish() }
            body = nil   // XHR send() ignores the body of GET/HEAD.
        }

        // Headers guards: forbidden names dropped (`request` guard), non-safelisted dropped in no-cors.
        var headers = HeaderList()
        let combine = !isFetch || profile.combinesRepeatedRequestHeaders
        for h in request.headers {
            if Safelist.isForbiddenRequestHeader(h) || profile.extraForbiddenRequestHeaders.contains(h.lowercasedName) {
                note("fetch#forbidden-request-header", "\(h.name) is a forbidden request header: \(isFetch ? "silently dropped" : "setRequestHeader() ignores it").")
                // XHR's setRequestHeader() says so on the console; fetch's Headers object says nothing.
                if !isFetch { scriptMessages.append(Messages.refusedRequestHeaderLine(name: h.name, profile: profile)) }
                continue
            }
            if mode == .noCORS && !Safelist.isNoCORSSafelisted(h, profile: profile) {
                note("fetch#concept-headers-guard", "\(h.name) is not no-CORS-safelisted: dropped by the request-no-cors guard.")
                continue
            }
            if combine, let i = headers.headers.firstIndex(where: { HeaderList.same($0.lowercasedName, h.lowercasedName) }) {
                // xhr#the-setrequestheader()-method combines repeated names; Chromium and WebKit's header
                // maps do the same for fetch (observed s81).
                let old = headers.headers[i]
                var list = headers.headers
                list[i] = Header(name: old.name, value: old.value + ", " + h.value)
                headers = HeaderList(list)
                continue
            }
            headers.append(h)
        }
        if isFetch && request.bodyIsStream && body != nil && !streamBody { body = "[object ReadableStream]" }
        if body != nil && !streamBody && !headers.contains("content-type") {
            // fetch#concept-bodyinit-extract: a string body brings its own Content-Type (a stream none).
            headers.append(modelName: "Content-Type", lowercasedName: "content-type", value: "text/plain;charset=UTF-8")
        }
        let uploadListenerPreflight = !isFetch && request.uploadListener
        // What the request as made needs (Gecko and WebKit keep this decision across redirects).
        // Computed before the first redirect rewrites anything, and only for engines that use it.
        var initialUnsafeNames: [String] = []
        var initialNeedsPreflight = false

        // MARK: Main fetch, once per hop (fetch#concept-main-fetch)
        var currentURL = request.url
        var tainting = ResponseFilter.Tainting.basic
        var redirectCount = 0

        while true {
            let requestOrigin = tainted ? "null" : pageSerialized
            if !referrerGone {
                hopHasReferer = Referrer.sends(page: page, url: currentURL, policy: referrerPolicy)
                referrerGone = !hopHasReferer
            }
            let stageHere: Stage = redirectCount == 0 ? .request : .redirect
            var needsPreflightPath = false

            if tainting == .basic && currentURL.origin == page {
                note("fetch#concept-main-fetch", "\(currentURL.origin) is same-origin with the page: basic fetch, no CORS.")
            } else if mode == .sameOrigin {
                var f = Failure(reason: .disallowedByMode, stage: stageHere, url: currentURL)
                f.location = currentURL.serialized
                block(f); return finish()
            } else if mode == .noCORS {
                if redirectMode != .follow {
                    block(Failure(reason: .noCORSRedirectMode, stage: stageHere, url: currentURL)); return finish()
                }
                tainting = .opaque
                note("fetch#concept-main-fetch", "Mode no-cors to another origin: response tainting opaque.")
            } else if !currentURL.isHTTPFamily {
                block(Failure(reason: .corsDisabledScheme, stage: stageHere, url: currentURL)); return finish()
            } else {
                tainting = .cors
                var unsafeNames = Safelist.corsUnsafeNames(headers, profile: profile)
                // Gecko and WebKit preflight every cross-origin hop of a request that needed one when made.
                // Chromium's streaming-upload preflight lasts while there is a stream (a 303 drops it).
                let useCORSPreflight = uploadListenerPreflight || (streamBody && body != nil && profile.preflightsStreamUploads)
                let forcePreflight = useCORSPreflight || (profile.preflightDecidedOnce && initialNeedsPreflight)
                if profile.preflightListsOriginalHeaders && initialNeedsPreflight {
                    unsafeNames = Array(Set(unsafeNames).union(initialUnsafeNames)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                }
                needsPreflightPath = forcePreflight || !Method.isCORSSafelisted(method) || !unsafeNames.isEmpty
                note("fetch#concept-main-fetch", needsPreflightPath
                     ? "CORS request that needs a preflight: " + preflightWhy(method: method, unsafe: unsafeNames, upload: useCORSPreflight)
                     : "CORS request with a safelisted method and safelisted headers: no preflight.")
                if needsPreflightPath {
                    if !preflightIfNeeded(method: method, headers: headers, unsafeNames: unsafeNames, url: currentURL,
                                          requestOrigin: requestOrigin, include: include, useCORSPreflight: useCORSPreflight,
                                          forcePreflight: forcePreflight,
                                          state: &state, network: &network) {
                        if result.failure != nil { state.preflightCache.clear(origin: requestOrigin, url: currentURL) }
                        return finish()
                    }
                }
            }

            // MARK: HTTP-network-or-cache fetch: the actual request
            var wire = headers
            if let origin = originHeader(tainting: tainting, method: method, mode: mode, url: currentURL, serializedOrigin: requestOrigin) {
                wire.append(modelName: "Origin", lowercasedName: "origin", value: origin)
            }
            appendReferer(to: &wire)
            // includeCredentials is decided per hop: `include`, or `same-origin` while tainting is basic.
            let includeCredentials = credentials == .include || (credentials == .sameOrigin && tainting == .basic)
            let cookieContext = CookieContext(topLevelOrigin: page, requestURL: currentURL, method: method,
                                              crossSiteRedirect: crossSiteTaint, credentialsIncluded: includeCredentials)
            if includeCredentials && !state.cookies.isEmpty {
                attachCookies(to: &wire, context: cookieContext, state: &state)
            }
            let actual = HTTPRequest(method: method, url: currentURL, headers: wire, body: body)
            guard let response = sendThroughHTTPCache(actual, cacheMode: isFetch ? request.cache : .default, anonymous: !includeCredentials,
                                                      state: &state, network: &network) else { return finish() }
            // fetch#http-network-fetch: Set-Cookie is processed before, and whatever the result of, the CORS check.
            if !result.fromCache && response.headers.contains("set-cookie") {
                storeCookies(from: response, context: cookieContext, state: &state)
            }

            // fetch#concept-http-fetch: the CORS check runs on every response while tainting is cors,
            // redirect responses included.
            if tainting == .cors {
                let hopStage: Stage = response.isRedirect && response.headers.get("location") != nil && redirectMode == .follow ? .redirect : .actual
                if let f = CORSCheck.check(response.headers, status: response.status, requestOrigin: requestOrigin,
                                           includeCredentials: include, family: profile.family, stage: hopStage, url: currentURL) {
                    var failure = f
                    failure.location = response.headers.get("location").flatMap { WebURL.parse($0, base: currentURL)?.serialized }
                    block(failure)
                    if needsPreflightPath && profile.clearsPreflightCacheAfterActualFailure {
                        state.preflightCache.clear(origin: requestOrigin, url: currentURL)
                    }
                    return finish()
                }
                note("fetch#concept-cors-check", "CORS check passed: Access-Control-Allow-Origin \(quoted(response.headers.get("access-control-allow-origin")))" +
                     (include ? ", Access-Control-Allow-Credentials \(quoted(response.headers.get("access-control-allow-credentials")))." : "."))
            }

            if redirectCount == 0 && profile.preflightDecidedOnce && response.isRedirect {
                initialUnsafeNames = Safelist.corsUnsafeNames(headers, profile: profile)
                initialNeedsPreflight = uploadListenerPreflight || (streamBody && profile.preflightsStreamUploads) || !Method.isCORSSafelisted(method) || !initialUnsafeNames.isEmpty
            }

            // MARK: Redirects (fetch#http-redirect-fetch)
            if response.isRedirect, let location = response.headers.get("location"),
               !(location.isEmpty && profile.emptyLocation == .returnResponse && redirectMode == .follow) {
                switch redirectMode {
                case .error:
                    var f = Failure(reason: .redirectModeError, stage: .redirect, url: currentURL)
                    f.status = response.status
                    block(f); return finish()
                case .manual:
                    result.outcome = .opaqueRedirect
                    result.status = 0
                    result.responseType = "opaqueredirect"
                    result.exposed = []
                    note("fetch#concept-filtered-response-opaque-redirect", "Redirect mode manual: opaque-redirect response (status 0, no headers).")
                    return finish()
                case .follow:
                    break
                }
                // fetch#concept-response-location-url: Location is a single value; several different
                // Location lines fail (Chromium: ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION).
                let locations = Set(response.headers.headers.filter { HeaderList.same($0.lowercasedName, "location") }.map(\.value))
                let locationValue = locations.count == 1 || !profile.multipleLocationsFail ? location : nil
                if location.isEmpty && profile.emptyLocation == .failSilently {
                    var f = Failure(reason: .redirectLocationInvalid, stage: .redirect, url: currentURL)
                    f.location = location
                    f.detail = "empty-location"
                    block(f); return finish()
                }
                guard let locationValue, let target = WebURL.parse(locationValue, base: currentURL) else {
                    var f = Failure(reason: .redirectLocationInvalid, stage: .redirect, url: currentURL)
                    f.location = location
                    if locations.count > 1 { f.detail = "multiple-locations" }
                    block(f); return finish()
                }
                var f = Failure(reason: .tooManyRedirects, stage: .redirect, url: currentURL)
                f.location = target.serialized
                f.status = response.status
                if !target.isHTTPFamily { f.reason = .redirectScheme; f.location = locationValue; block(f); return finish() }
                if redirectCount == profile.redirectLimit { block(f); return finish() }
                redirectCount += 1
                if target.includesCredentials && ((mode == .cors && target.origin != page) || tainting == .cors) {
                    f.reason = .redirectCredentials; block(f); return finish()
                }
                // A stream cannot be sent again: any redirect but 303 fails (fetch#http-redirect-fetch).
                if streamBody && body != nil && response.status != 303 {
                    f.reason = .redirectStreamBody; block(f); return finish()
                }
                // Method rewrite: 301/302 POST → GET, 303 anything but GET/HEAD → GET.
                if ((response.status == 301 || response.status == 302) && method == "POST") || (response.status == 303 && method != "GET" && method != "HEAD") {
                    note("fetch#http-redirect-fetch", "\(response.status) rewrites \(method) to GET and drops the body.")
                    method = "GET"
                    body = nil
                    headers = HeaderList(headers.headers.filter { !Safelist.requestBodyHeaderNames.contains($0.lowercasedName) })
                }
                if currentURL.origin != target.origin && headers.contains("authorization") {
                    note("fetch#http-redirect-fetch", "Cross-origin redirect: the Authorization header is removed.")
                    headers.remove("authorization")
                }
                // fetch#concept-request-tainted-origin: leaving a URL whose origin is not the page's
                // for yet another origin makes the request origin serialize as `null`.
                // Cross-site taint (SameSite): leaving a URL that is not same-site with the page for another site.
                if !crossSiteTaint && !page.isSameSite(currentURL.origin) && !currentURL.origin.isSameSite(target.origin) {
                    crossSiteTaint = true
                }
                if !tainted && currentURL.origin != page && target.origin != currentURL.origin {
                    tainted = true
                    note("fetch#serializing-a-request-origin", "Redirect from \(currentURL.origin) to \(target.origin): the request's origin is now tainted and serializes as null.")
                }
                // fetch#http-redirect-fetch: a Referrer-Policy header on the redirect sets the policy of later hops.
                if let policy = Referrer.parse(response.headers.get("referrer-policy")) {
                    if policy != referrerPolicy { note("fetch#http-redirect-fetch", "Referrer-Policy: \(policy.rawValue) applies to the next hops.") }
                    referrerPolicy = policy
                }
                note("fetch#http-redirect-fetch", "Following \(response.status) to \(target).")
                currentURL = target
                continue
            }

            // MARK: Response filtering (fetch#concept-filtered-response)
            switch tainting {
            case .opaque:
                result.outcome = .opaque
                result.status = 0
                result.responseType = "opaque"
                result.exposed = []
                note("fetch#concept-filtered-response-opaque", "Opaque response: status 0, no headers, no body.")
            case .basic, .cors:
                result.outcome = .allowed
                result.status = response.status
                result.responseType = tainting.rawValue
                result.exposed = ResponseFilter.exposedHeaderNames(response.headers, tainting: tainting, includeCredentials: include)
                note(tainting == .cors ? "fetch#concept-filtered-response-cors" : "fetch#concept-filtered-response-basic",
                     "Script reads status \(response.status) and headers: \(result.exposed.isEmpty ? "(none)" : result.exposed.joined(separator: ", ")).")
            }
            return finish()
        }
    }

    /// Sends a preflight unless the cache covers the request; false when the request is blocked
    /// (or the case did not script the preflight).
    mutating func preflightIfNeeded<N: Network>(method: String, headers: HeaderList, unsafeNames: [String], url: WebURL,
                                                requestOrigin: String, include: Bool, useCORSPreflight: Bool, forcePreflight: Bool,
                                                state: inout BrowserState, network: inout N) -> Bool {
        let cache = state.preflightCache
        let cacheable = profile.preflightCacheMaxURLLength.map { url.serialized.utf8.count < $0 } ?? true
        let methodCovered = (Method.isCORSSafelisted(method) && !forcePreflight)
            || cache.matchesMethod(origin: requestOrigin, url: url, method: method, includeCredentials: include, now: state.now,
                                   keyedByCredentials: profile.preflightCacheKeyedByCredentials)
        let uncoveredHeaders = unsafeNames.filter {
            !cache.matchesHeader(origin: requestOrigin, url: url, name: $0, includeCredentials: include, now: state.now,
                                 wildcardCoversAuthorization: profile.wildcardCoversAuthorization,
                                 keyedByCredentials: profile.preflightCacheKeyedByCredentials)
        }
        if methodCovered && uncoveredHeaders.isEmpty {
            note("fetch#concept-cache-match", "The preflight cache covers \(method)\(unsafeNames.isEmpty ? "" : " and " + unsafeNames.joined(separator: ", ")): no preflight sent.")
            return true
        }

        // fetch#cors-preflight-fetch-0: OPTIONS, Accept */*, ACRM, ACRH; no author headers, no credentials.
        var pre = HeaderList()
        pre.append(modelName: "Accept", lowercasedName: "accept", value: "*/*")
        pre.append(modelName: "Access-Control-Request-Method", lowercasedName: "access-control-request-method", value: method)
        var listed = unsafeNames
        if profile.requestHeadersListRepeats {
            // Gecko lists a name once per header entry: fetch headers `x-a: 2` and `X-A: 3` give `x-a,x-a`.
            // Counted first, without allocating: repeats are rare.
            var entries = 0
            for h in headers.headers where unsafeNames.contains(h.lowercasedName) { entries += 1 }
            if entries > unsafeNames.count {
                listed = headers.headers.map(\.lowercasedName).filter { unsafeNames.contains($0) }
                    .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            }
        }
        if let acrh = Safelist.accessControlRequestHeaders(listed) { pre.append(modelName: "Access-Control-Request-Headers", lowercasedName: "access-control-request-headers", value: acrh) }
        // Gecko's preflight goes out with the page's origin even once the request is tainted (s104).
        let preflightOrigin = profile.preflightUsesUntaintedOrigin ? pageSerialized : requestOrigin
        pre.append(modelName: "Origin", lowercasedName: "origin", value: preflightOrigin)
        // fetch#cors-preflight-fetch: the preflight has the request's referrer.
        appendReferer(to: &pre)
        guard let response = send(HTTPRequest(method: "OPTIONS", url: url, headers: pre, isPreflight: true), network: &network) else { return false }

        func fail(_ reason: Reason) -> Bool {
            var f = Failure(reason: reason, stage: .preflight, url: url)
            f.status = response.status
            f.allowOrigin = response.headers.get("access-control-allow-origin")
            f.allowOriginLines = profile.family == .gecko ? CORSCheck.geckoAllowOriginLines(response.headers)
                : response.headers.lineCount("access-control-allow-origin")
            f.allowCredentials = response.headers.get("access-control-allow-credentials")
            f.method = method
            block(f)
            return false
        }
        let redirected = response.isRedirect && response.headers.get("location") != nil
        let accessFailure = CORSCheck.check(response.headers, status: response.status, requestOrigin: preflightOrigin,
                                            includeCredentials: include, family: profile.family, stage: .preflight, url: url)
        if profile.preflightStatusBeforeAccessCheck {
            // WebKit validatePreflightResponse: status (a redirect is a non-2xx status too), then ACAO/ACAC.
            if !response.isOK { return fail(redirected ? .preflightRedirect : .preflightStatus) }
            if let f = accessFailure { block(f); return false }
        } else {
            // Chromium and Gecko refuse a redirected preflight in the network layer, then check ACAO/ACAC
            // even when the status is also bad (preflight_controller.cc, nsCORSListenerProxy.cpp).
            if redirected { return fail(.preflightRedirect) }
            if let f = accessFailure { block(f); return false }
            if !response.isOK { return fail(.preflightStatus) }
        }
        note("fetch#cors-preflight-fetch-0", "Preflight status \(response.status) is ok and its CORS check passed.")

        let methodsList = HeaderListValues.extract("access-control-allow-methods", from: response.headers)
        let headersList = HeaderListValues.extract("access-control-allow-headers", from: response.headers)
        func parseFailure(_ list: HeaderListValues, _ reason: Reason) -> Bool {
            guard case let .failure(token, value) = list else { return true }
            var f = Failure(reason: reason, stage: .preflight, url: url)
            f.status = response.status
            f.invalidToken = token
            f.listValue = value
            block(f)
            return false
        }
        if !parseFailure(methodsList, .invalidAllowMethods) { return false }
        if profile.preflightParsesBothListsFirst && !parseFailure(headersList, .invalidAllowHeaders) { return false }

        // Method check: `*` is a wildcard only without credentials; absent ACAM with the
        // use-CORS-preflight flag means the request's own method.
        var methods: [String] = []
        if case let .values(v) = methodsList { methods = v } else if useCORSPreflight { methods = [method] }
        if !methods.contains(method) && !Method.isCORSSafelisted(method) && (include || !methods.contains("*")) {
            var f = Failure(reason: .methodNotAllowed, stage: .preflight, url: url)
            f.status = response.status
            f.method = method
            f.listValue = response.headers.get("access-control-allow-methods")
            block(f)
            return false
        }
        if !profile.preflightParsesBothListsFirst && !parseFailure(headersList, .invalidAllowHeaders) { return false }

        var allowedHeaders: [String] = []
        if case let .values(v) = headersList { allowedHeaders = v }
        let allowedLower = Set(allowedHeaders.map { $0.lowercased() })
        let wildcard = !include && allowedLower.contains("*")
        for name in unsafeNames where !allowedLower.contains(name) {
            if wildcard && (name != "authorization" || profile.wildcardCoversAuthorization) {
                if name == "authorization" && profile.warnsWhenWildcardCoversAuthorization {
                    result.messages.append(GeckoMessages.authorizationWildcardWarning(url: url))
                    note("fetch#cors-non-wildcard-request-header-name", "Authorization is covered by * only in this engine (deprecated, with a warning).")
                }
                continue
            }
            var f = Failure(reason: .headerNotAllowed, stage: .preflight, url: url)
            f.status = response.status
            f.headerName = name
            f.headerNameAsSent = headers.headers.first { $0.lowercasedName == name }?.name ?? name
            f.listValue = response.headers.get("access-control-allow-headers")
            block(f)
            return false
        }
        note("fetch#cors-preflight-fetch-0", "Preflight allows \(method)\(unsafeNames.isEmpty ? "" : " with " + unsafeNames.joined(separator: ", ")).")

        if cacheable, let maxAge = profile.preflightMaxAge(response.headers) {
            state.preflightCache.store(origin: requestOrigin, url: url, methods: methods, headerNames: allowedHeaders,
                                       includeCredentials: include, maxAge: maxAge, now: state.now,
                                       replacing: profile.preflightCacheReplacesResult)
            note("fetch#concept-cache-create-entry", "Cached for \(maxAge) s (cap \(profile.maxAgeCap) s).")
        } else {
            note("fetch#concept-cache-create-entry", "Not cached (Access-Control-Max-Age \(quoted(response.headers.get("access-control-max-age"))) in this engine).")
        }
        return true
    }

    /// fetch#cookie-header: the cookies this hop carries, as the engine's policy decides.
    mutating func attachCookies(to wire: inout HeaderList, context: CookieContext, state: inout BrowserState) {
        let retrieval = state.cookies.cookies(for: context.requestURL, context: context, policy: profile.cookies, now: state.wallClock)
        result.cookiesExcluded += retrieval.excluded
        if let header = retrieval.header {
            wire.append(modelName: "Cookie", lowercasedName: "cookie", value: header)
            for c in retrieval.sent where !result.cookiesSent.contains(c.name) { result.cookiesSent.append(c.name) }
            note("fetch#cookie-header", "Cookie: \(header)")
        }
        for e in retrieval.excluded {
            note("fetch#cookie-header", "Cookie \(e.cookie.name) not sent: \(e.reason.summary).")
        }
    }

    /// fetch#set-cookie-header: store or reject every Set-Cookie of this response.
    mutating func storeCookies(from response: HTTPResponse, context: CookieContext, state: inout BrowserState) {
        let values = response.headers.headers.filter { $0.lowercasedName == "set-cookie" }.map(\.rawValue)
        let decisions = state.cookies.store(values, from: context.requestURL, context: context, policy: profile.cookies, now: state.wallClock)
        result.cookieDecisions += decisions
        for d in decisions {
            note("fetch#set-cookie-header", d.stored ? "Set-Cookie \(d.name): stored." : "Set-Cookie \(d.name): \(d.outcome.rawValue) (\(d.reasons.map(\.summary).joined(separator: "; "))).")
        }
    }

    /// fetch#append-a-request-origin-header
    func originHeader(tainting: ResponseFilter.Tainting, method: String, mode: RequestMode, url: WebURL, serializedOrigin: String) -> String? {
        if tainting == .cors { return serializedOrigin }
        if method == "GET" || method == "HEAD" { return nil }
        if mode != .cors && profile.originFollowsReferrerPolicy {
            switch referrerPolicy {
            case .noReferrer:
                return "null"
            case .noReferrerWhenDowngrade, .strictOrigin, .strictOriginWhenCrossOrigin:
                if page.scheme == "https" && url.scheme != "https" { return "null" }
            case .sameOrigin:
                if url.origin != page { return "null" }
            case .origin, .originWhenCrossOrigin, .unsafeURL:
                break
            }
        }
        return serializedOrigin
    }

    /// The HTTP cache partition: the page's site (fetch#network-partition-key); Gecko also keys
    /// entries by whether credentials were included (its `a,` anonymous cache-key prefix), so a
    /// response loaded with credentials is not used for a request without (seen in Firefox 153 by
    /// `cors-harness verify`, case wpt-n2-same-site-page-cached-response-without-acao).
    func cachePartition(anonymous: Bool) -> String {
        profile.httpCacheKeyedByCredentials && anonymous ? page.siteKey + " anonymous" : page.siteKey
    }

    /// fetch#http-network-or-cache-fetch with the browser's HTTP cache: a fresh stored response is
    /// used without the network; a stale one with validators is revalidated and a 304 merged into it.
    mutating func sendThroughHTTPCache<N: Network>(_ req: HTTPRequest, cacheMode: CacheMode, anonymous: Bool, state: inout BrowserState, network: inout N) -> HTTPResponse? {
        guard req.method == "GET", cacheMode != .noStore else { return send(req, network: &network) }
        // Most evaluations never touch the cache: skip computing the partition until it matters.
        if state.httpCache.isEmpty && cacheMode != .onlyIfCached {
            guard let response = send(req, network: &network) else { return nil }
            if (300...410).contains(response.status) && profile.implicitlyFreshStatuses.contains(response.status)
                || response.headers.headers.contains(where: { h in
                    HeaderList.same(h.lowercasedName, "cache-control") || HeaderList.same(h.lowercasedName, "etag") || HeaderList.same(h.lowercasedName, "last-modified")
                }) {
                state.httpCache.store(partition: cachePartition(anonymous: anonymous), url: req.url, request: req.headers, response: response, now: state.now, shared: false,
                                      implicitlyFresh: profile.implicitlyFreshStatuses)
            }
            return response
        }
        let partition = cachePartition(anonymous: anonymous)
        if cacheMode != .reload, let stored = state.httpCache.lookup(partition: partition, url: req.url, request: req.headers) {
            let fresh = state.now - stored.storedAt < stored.freshFor
            if (fresh && cacheMode == .default) || cacheMode == .forceCache || cacheMode == .onlyIfCached {
                result.fromCache = true
                note("fetch#http-network-or-cache-fetch", "Stored response (\(stored.response.status), \(Int(state.now - stored.storedAt)) s old) reused from the HTTP cache: no request sent.")
                return stored.response
            }
            let etag = stored.response.headers.get("etag"), modified = stored.response.headers.get("last-modified")
            if etag != nil || modified != nil {
                var conditional = req
                if let etag { conditional.headers.append(modelName: "If-None-Match", lowercasedName: "if-none-match", value: etag) }
                if let modified { conditional.headers.append(modelName: "If-Modified-Since", lowercasedName: "if-modified-since", value: modified) }
                guard let response = send(conditional, network: &network) else { return nil }
                if response.status == 304 {
                    let merged = HTTPCache.merge(stored.response, with: response)
                    note("fetch#http-network-or-cache-fetch", "304: the new headers are merged into the stored response, which the CORS check then sees.")
                    state.httpCache.store(partition: partition, url: req.url, request: req.headers, response: merged, now: state.now, shared: false,
                                      implicitlyFresh: profile.implicitlyFreshStatuses)
                    return merged
                }
                state.httpCache.store(partition: partition, url: req.url, request: req.headers, response: response, now: state.now, shared: false,
                                      implicitlyFresh: profile.implicitlyFreshStatuses)
                return response
            }
        }
        if cacheMode == .onlyIfCached {
            // fetch#http-network-or-cache-fetch: only-if-cached without a stored response is a network error.
            block(Failure(reason: .networkFailure, stage: .actual, url: req.url))
            return nil
        }
        guard let response = send(req, network: &network) else { return nil }
        state.httpCache.store(partition: partition, url: req.url, request: req.headers, response: response, now: state.now, shared: false,
                                      implicitlyFresh: profile.implicitlyFreshStatuses)
        return response
    }

    func preflightWhy(method: String, unsafe: [String], upload: Bool) -> String {
        var why: [String] = []
        if !Method.isCORSSafelisted(method) { why.append("method \(method) is not safelisted") }
        if !unsafe.isEmpty { why.append("headers not safelisted: \(unsafe.joined(separator: ", "))") }
        if upload { why.append(request.api == .xhr ? "an upload listener sets the use-CORS-preflight flag" : "this engine preflights every streaming upload") }
        return why.joined(separator: "; ") + "."
    }

    func quoted(_ s: String?) -> String { s.map { "'\($0)'" } ?? "absent" }

    mutating func finish() {
        if let tracer { result.trace = tracer.steps }
        if sawUnscripted {
            result.outcome = .blocked
            result.messages = scriptMessages
            return
        }
        // Opaque responses too: the line is about the network response, which script cannot see.
        if result.failure == nil, result.outcome == .allowed || result.outcome == .opaque, let status = result.responses.last?.status,
           let line = Messages.errorStatusLine(status: status, profile: profile) {
            result.messages.append(line)
        }
        if let failure = result.failure {
            if let lines = Messages.lines(for: failure, profile: profile, api: request.api, pageOrigin: pageSerialized,
                                          firstURL: firstURL, requestOrigin: tainted ? "null" : pageSerialized) {
                result.messages += lines
            } else {
                result.messagesModelled = false
            }
        }
        if !scriptMessages.isEmpty { result.messages.insert(contentsOf: scriptMessages, at: 0) }
    }
}
