import Foundation
import HTTPTypes
import Hummingbird
import Prometheus

/// Counts requests and times them by route template (not raw path, so ids do not explode the series),
/// method and status class.
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = SkyRequestContext

    let registry: PrometheusCollectorRegistry

    static let buckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
        .seconds(5), .seconds(10),
    ]

    // Computed, not stored: MetricNameDescriptor is not Sendable, so it cannot be a static constant.
    /// `sky_http_requests_total`.
    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "sky", subsystem: "http", metricName: "requests", unitName: "total",
            helpText: "HTTP requests answered, by method, route and status.")
    }
    /// `sky_http_request_duration_seconds`.
    static var duration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "sky", subsystem: "http", metricName: "request_duration", unitName: "seconds",
            helpText: "Time to answer an HTTP request, by method and route.")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        let labels = [("method", request.method.rawValue), ("route", route), ("status", String(response.status.code))]
        registry.makeCounter(descriptor: Self.requests, labels: labels).increment()
        registry.makeDurationHistogram(
            descriptor: Self.duration,
            labels: [("method", request.method.rawValue), ("route", route)], buckets: Self.buckets
        ).recordNanoseconds(Int64((ContinuousClock.now - start) / .nanoseconds(1)))
        return response
    }
}
