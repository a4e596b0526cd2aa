# Legacy portal: a server certificate uploaded to IAM with its private key pasted into the configuration.
# The key is now in the repository, its history, every fork and every plan output: rotate it. (The key
# below is a throwaway generated for this sample.)

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

resource "aws_iam_server_certificate" "portal" {
  name             = "legacy-portal"
  certificate_body = file("${path.module}/portal.crt")

  private_key = <<-EOT
    -----BEGIN RSA PRIVATE KEY-----
    MIIEpAIBAAKCAQEAz5P7oFsnQwcV+Q/Zs48buh5iX6b4KbkNnuTNdI6BUmIuoo58
    fW07whyTmLzDnKZKVr5akkAQCNDkNFYvIf2EXyND8uXR1WHQnJulesWWWgptw2u9
    6EsaYBnGpc2zWBQLqXSeyp9bqP8Tj9kYOc1IUAVps/W4/guHUizXDtcEgrlyekUr
    7252q1KR2es6wdkcU0apicdnT7iTvLTIst4hAhPQN0AqoEc5vgHd9ErbLaHlW+3h
    0APD+YsrnjFrB+67AyABPmO/lBntVlH0dmKSq+nRs+Mxc91cF/lyme64x+Lrl7Vx
    0o275fCPXJdcyGt8m1uqzCip0E+3NMYrjlscKwIDAQABAoIBAAepa6lAlBNqSIpX
    5m41Qw28n17ud8x6cyFBSsAZnnZe/1+qqLesd38ztNL3bLT0glvvTMKHMNBSfYnd
    AIJdrCwizhhCGVup75xINnRwpJsQNXr4GBth4khXyzhFfnAq1T9c+Zt7BFQZjixK
    FBXWGOwzNvKYiEqAPG9xDkMS9qyogJ57teioT83W1y9WPcZ3AnFCn4BhUGKq/paY
    QS3nXKIS9lApivXzZARjTFgUh01BQX51K+iwg18rKhWBV0poHXZELCANzVjgF0O/
    Oj6rHeSKD6m4PNNpAzM32HKR9KYnqZ+S9iJUfklxCgETFKMgLtnWBv6RRCdTg/cY
    YDiD3akCgYEA9gpJvCXFms5z7klJH9LoTv+qr+FIYcgWF3mHglDYD39+NhFJzeCN
    vRZK0EalJl4+97lyDEyYyhVw8sYOUKm9Zk4Jut9bLaph8p5PffFsnU1vVTwTUgAl
    pJTlietTQUbBgVg0Kd7bSUTAKZ7/Hj7QOnyT9BuZf90VOox0VJ1erm8CgYEA1/sc
    uzRq5m3/p6xrzZqDET177y5Ii2e9cdQt0/cUTGkfWa9zBAMZsFKze85cpNpVaKNd
    ok6QifUwoYtCqV6StRO8mK6f3N+5cjd7Nu1gJrjBXsDYLPS9eQxwVTfuM6gK5Z6V
    UEgVA9VvG1S1luH+GtsQAz8wXuhc9NB/oUwzjAUCgYEArmb2g1am7qf/R15NZjCD
    GVRjMk7XlvBUsIklw/r4XGv8E+lHTpcpAWqm12HsOPk/Wyvpqsw01bJDIOPBS+41
    4inY/czLfeAzk94h7N1QJ2S3UUzHSS3vgO1Gk+/qUPANxFi4iSF+gT4plJcuscrG
    oV6jJbrWoOse3CSpZT0z2yMCgYEAkhyfY0Yiy6C+w4AxrfZJlPAzV6vICAc2cjtI
    hY0xfj/fpZy8AorWZiKMqcUBh8Ts4s0iGxtrTOlC7QZ5InuIZFflzqTUIWh43HwM
    LyyHT6rNpnxvwnoPdESl+gDMdMXKGW0fNiCNlvpdH/A+qMRaU3C/dHLbFlm8CSLE
    NSqH9MECgYA2gKvowATPsMqpQO0lo4ExSN7HgBFbtTbAyneA/Up+H2ZNAOFMKTwL
    DWuWKDBZPCgCahj4KsBoiiyccsWS3lAk17v1+pmXhnzC0w5Dy1pm8ngIzvqpIwFt
    4/Dsj9RhO4yV2Gg8DrT6RSACPYh/FFmMwgO0R+dNY5J+qXzNX7VbNQ==
    -----END RSA PRIVATE KEY-----
  EOT
}
