import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Per-connection limits that Hummingbird leaves to the application, as a channel handler between the HTTP codec
/// and the request loop (one per connection):
/// - a request's head must arrive within `headerTimeout` of the connection opening or the previous answer
///   (this is also how long an idle keep-alive connection stays open), and its body within `bodyTimeout` of
///   the head; a slow client is disconnected, not waited for;
/// - an answer that says `Connection: close` (413, a malformed request) ends the connection once written:
///   the output is shut (the client reads the answer, then end of file) and the socket closed a moment later;
/// - an HTTP parse error before any request head (a malformed request line or header, a `Transfer-Encoding`
///   the server cannot decode) is counted in `/metrics`, which the router never sees.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Phase { case waitingForHead, readingBody, answering }

    private let headerTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private let metrics: ServeMetrics
    private var phase = Phase.waitingForHead
    /// Requests whose answer has not been written to the end.
    private var inFlight = 0
    private var closeAfterAnswer = false
    private var timer: Scheduled<Void>?

    init(headerTimeout: Duration, bodyTimeout: Duration, metrics: ServeMetrics) {
        self.headerTimeout = TimeAmount(headerTimeout)
        self.bodyTimeout = TimeAmount(bodyTimeout)
        self.metrics = metrics
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, headerTimeout, reason: "header_timeout") }
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelActive(context: ChannelHandlerContext) {
        if timer == nil { arm(context, headerTimeout, reason: "header_timeout") }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            inFlight += 1
            phase = .readingBody
            arm(context, bodyTimeout, reason: "body_timeout")
        case .body: break
        case .end:
            phase = .answering
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response):
            if response.headerFields[.connection]?.lowercased() == "close" { closeAfterAnswer = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            inFlight = max(0, inFlight - 1)
            guard !closeAfterAnswer else {
                context.writeAndFlush(data, promise: promise)
                shut(context)
                return
            }
            context.write(data, promise: promise)
            if inFlight == 0 && phase == .answering {
                phase = .waitingForHead
                arm(context, headerTimeout, reason: "header_timeout")
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A parse error inside a request's body reaches the request's handler (which answers and counts it);
        // one before any head is answered by Hummingbird alone, so it is counted here.
        if error is HTTPParserError, phase == .waitingForHead, inFlight == 0 {
            metrics.recordUnparsedRequest()
        }
        context.fireErrorCaught(error)
    }

    /// Shuts the output after the answer, then closes the socket a second later (closing at once with unread
    /// input would reset the connection and could lose the answer on the client's side).
    private func shut(_ context: ChannelHandlerContext) {
        disarm()
        context.close(mode: .output, promise: nil)
        let channel = context.channel
        _ = context.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
    }

    private func arm(_ context: ChannelHandlerContext, _ delay: TimeAmount, reason: String) {
        disarm()
        let channel = context.channel, metrics = self.metrics
        timer = context.eventLoop.scheduleTask(in: delay) {
            metrics.recordClosedConnection(reason: reason)
            channel.close(promise: nil)
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}

@available(*, unavailable)
extension ConnectionGuard: Sendable {}
