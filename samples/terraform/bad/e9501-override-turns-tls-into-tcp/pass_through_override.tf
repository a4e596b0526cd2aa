# End-to-end TLS: pass the connection through to the instances, which terminate TLS themselves.
resource "aws_lb_listener" "orders" {
  protocol        = "TCP"
  ssl_policy      = null
  certificate_arn = null
}
