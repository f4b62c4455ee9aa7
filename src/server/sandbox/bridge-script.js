/*
 * Kaquan's WeChat sandbox: window.WeixinJSBridge as WeChat's in-app browser defines it, so the
 * real, unmodified weixin-js-sdk runs in any browser. Served at /__wx/bridge.js and injected
 * only in sandbox mode; never part of the production bundle. Plain ES5-style script on purpose:
 * it runs before the app, without a build step.
 *
 * What it does as WeChat does (as the SDK's own source, res.wx.qq.com/open/js/jweixin-1.6.0.js,
 * expects it): preVerifyJSAPI checks the signature against the landing URL on iOS and the current
 * URL on Android; batchAddCard checks every card_ext and keeps the card in this sandbox user's
 * wallet; scanQRCode answers iOS's JSON resultStr form.
 */
;(function () {
  'use strict'
  var ACT_KEY = 'kq-sandbox-act-as-wechat'
  var UAS = {
    ios: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN',
    android:
      'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002f37) NetType/WIFI Language/zh_CN',
  }
  var actAs = null
  try {
    actAs = localStorage.getItem(ACT_KEY)
  } catch (_e) {
    /* storage blocked: no switch */
  }

  if (!/micromessenger/i.test(navigator.userAgent) && UAS[actAs]) {
    var fake = UAS[actAs]
    Object.defineProperty(navigator, 'userAgent', {
      get: function () {
        return fake
      },
      configurable: true,
    })
  }
  var ua = navigator.userAgent.toLowerCase()
  var inWeChat = /micromessenger/.test(ua) && !/wxwork\//.test(ua)

  var css =
    '' +
    '.wxsb-mask{position:fixed;inset:0;z-index:2147483000;background:rgba(0,0,0,.6);display:flex;align-items:flex-end;font:15px/1.4 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif}' +
    '.wxsb-sheet{width:100%;background:#fff;color:rgba(0,0,0,.9);border-radius:12px 12px 0 0;padding:20px 16px calc(16px + env(safe-area-inset-bottom))}' +
    '.wxsb-sheet h3{margin:0 0 4px;font-size:17px;font-weight:500;text-align:center}.wxsb-sheet p{margin:0 0 16px;color:rgba(0,0,0,.5);font-size:13px;text-align:center}' +
    '.wxsb-card{display:flex;align-items:center;gap:12px;padding:12px;border-radius:8px;color:#fff;margin-bottom:12px}' +
    '.wxsb-card b{font-weight:500;display:block}.wxsb-card small{opacity:.85}' +
    '.wxsb-btn{display:block;width:100%;min-height:48px;border:0;border-radius:8px;font-size:17px;font-weight:500;margin-top:8px;cursor:pointer}' +
    '.wxsb-primary{background:#07c160;color:#fff}.wxsb-default{background:#f2f2f2;color:rgba(0,0,0,.9)}' +
    '.wxsb-input{width:100%;min-height:48px;border:1px solid rgba(0,0,0,.15);border-radius:8px;padding:0 12px;font:20px ui-monospace,monospace;box-sizing:border-box}' +
    '.wxsb-list{max-height:40vh;overflow:auto;margin:12px 0 0}.wxsb-row{display:flex;justify-content:space-between;gap:8px;padding:10px 4px;border-bottom:1px solid rgba(0,0,0,.08);cursor:pointer}' +
    '.wxsb-row code{font:14px ui-monospace,monospace}.wxsb-menu{position:fixed;top:34px;right:8px;z-index:2147482000;min-width:44px;height:30px;border-radius:15px;border:0;background:rgba(0,0,0,.55);color:#fff;font-size:16px;cursor:pointer}' +
    '.wxsb-act{position:fixed;right:8px;bottom:90px;z-index:2147482000;border:0;border-radius:16px;padding:6px 12px;background:#07c160;color:#fff;font-size:12px;opacity:.9;cursor:pointer}'

  function addStyle() {
    if (document.getElementById('wxsb-style')) return
    var s = document.createElement('style')
    s.id = 'wxsb-style'
    s.textContent = css
    document.head.appendChild(s)
  }

  function el(tag, attrs, children) {
    var n = document.createElement(tag)
    for (var k in attrs || {}) {
      if (k === 'text') n.textContent = attrs[k]
      else if (k === 'onclick') n.addEventListener('click', attrs[k])
      else n.setAttribute(k, attrs[k])
    }
    ;(children || []).forEach(function (c) {
      if (c) n.appendChild(c)
    })
    return n
  }

  function sheet(children) {
    addStyle()
    var mask = el('div', { class: 'wxsb-mask', 'data-wx-sandbox': 'sheet' }, [
      el('div', { class: 'wxsb-sheet' }, children),
    ])
    document.body.appendChild(mask)
    return function close() {
      mask.remove()
    }
  }

  function whenBody(fn) {
    if (document.body) fn()
    else document.addEventListener('DOMContentLoaded', fn)
  }

  function request(method, path, body) {
    return fetch(path, {
      method: method,
      credentials: 'same-origin',
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (r) {
      return r.json()
    })
  }

  /* A desktop browser can try every path: the switch below makes this page act as WeChat. */
  if (!inWeChat) {
    whenBody(function () {
      addStyle()
      document.body.appendChild(
        el('button', {
          class: 'wxsb-act',
          type: 'button',
          'data-wx-sandbox': 'act-as-wechat',
          text: '以微信身份打开',
          onclick: function () {
            localStorage.setItem(ACT_KEY, /android/i.test(navigator.userAgent) ? 'android' : 'ios')
            location.reload()
          },
        }),
      )
    })
    return
  }

  var isIOS = /iphone|ipad|ipod/.test(ua)
  var isAndroid = /android/.test(ua)
  // iOS WeChat verifies against the URL the page was first loaded at; pushState doesn't change it.
  var landingUrl = location.href.split('#')[0]
  var verified = false
  var listeners = {}
  var state = { shares: {}, verified: false, verifyUrl: null, landingUrl: landingUrl, calls: [] }
  window.__wxSandbox = state

  function nextFault(api) {
    return request('GET', '/__wx/faults/next/' + api).then(
      function (r) {
        return r.mode
      },
      function () {
        return null
      },
    )
  }

  function cardSheet(cards, onAdd, onCancel) {
    var ids = cards
      .map(function (c) {
        return c.card_id
      })
      .join(',')
    return request('GET', '/__wx/bridge/cards?ids=' + encodeURIComponent(ids)).then(function (r) {
      return new Promise(function (resolve) {
        var rows = (r.cards || []).map(function (c) {
          return el('div', { class: 'wxsb-card', style: 'background:' + c.color }, [
            el('div', {}, [el('b', { text: c.title }), el('small', { text: c.brand_name })]),
          ])
        })
        var close = sheet(
          [el('h3', { text: '添加到卡包' }), el('p', { text: '卡券将放入“我-卡包”，到店出示即可使用' })]
            .concat(rows)
            .concat([
              el('button', {
                class: 'wxsb-btn wxsb-primary',
                type: 'button',
                'data-wx-sandbox': 'add-card-confirm',
                text: '添加',
                onclick: function () {
                  close()
                  resolve(onAdd())
                },
              }),
              el('button', {
                class: 'wxsb-btn wxsb-default',
                type: 'button',
                'data-wx-sandbox': 'add-card-cancel',
                text: '取消',
                onclick: function () {
                  close()
                  resolve(onCancel())
                },
              }),
            ]),
        )
      })
    })
  }

  var handlers = {
    preVerifyJSAPI: function (p) {
      var url = isIOS ? landingUrl : location.href.split('#')[0]
      state.verifyUrl = url
      return request('POST', '/__wx/bridge/verify', {
        appId: p.verifyAppId || p.appId,
        timestamp: p.verifyTimestamp,
        nonceStr: p.verifyNonceStr,
        signature: p.verifySignature,
        url: url,
      }).then(function (r) {
        verified = !!r.ok
        state.verified = verified
        return r.ok
          ? { err_msg: 'preVerifyJSAPI:ok' }
          : { err_msg: 'preVerifyJSAPI:fail_' + String(r.reason || 'fail').replace(/ /g, '_') }
      })
    },
    getNetworkType: function () {
      return { err_msg: 'network_type:wifi' }
    },
    checkJsApi: function (p) {
      var result = {}
      ;(p.jsApiList || []).forEach(function (n) {
        result[n] = true
      })
      return { err_msg: 'checkJsApi:ok', checkResult: isAndroid ? JSON.stringify(result) : result }
    },
    batchAddCard: function (p) {
      var list = p.card_list || []
      return nextFault('addCard').then(function (fault) {
        if (fault === 'fail') return { err_msg: 'batchAddCard:fail_system_error' }
        if (fault === 'cancel') return { err_msg: 'batchAddCard:cancel' }
        return cardSheet(
          list,
          function () {
            return request('POST', '/__wx/bridge/add-card', { card_list: list }).then(function (r) {
              if (!r.ok) return { err_msg: 'batchAddCard:' + (r.reason || 'fail') }
              return { err_msg: 'batchAddCard:ok', card_list: JSON.stringify(r.list) }
            })
          },
          function () {
            return { err_msg: 'batchAddCard:cancel' }
          },
        )
      })
    },
    batchViewCard: function (p) {
      var c = (p.card_list || [])[0] || {}
      return new Promise(function (resolve) {
        var close = sheet([
          el('h3', { text: '卡包' }),
          el('p', { text: '券码 ' + (c.code || '') }),
          el('button', {
            class: 'wxsb-btn wxsb-default',
            type: 'button',
            'data-wx-sandbox': 'view-card-close',
            text: '返回',
            onclick: function () {
              close()
              resolve({ err_msg: 'batchViewCard:ok' })
            },
          }),
        ])
      })
    },
    scanQRCode: function (p) {
      return request('GET', '/__wx/bridge/scannable').then(function (w) {
        return new Promise(function (resolve) {
          var input = el('input', {
            class: 'wxsb-input',
            inputmode: 'numeric',
            placeholder: '输入要扫描的码',
            'data-wx-sandbox': 'scan-input',
          })
          function done(value) {
            close()
            if (value === null) return resolve({ err_msg: 'scanQRCode:cancel' })
            if (String(p.needResult) !== '1') return resolve({ err_msg: 'scanQRCode:ok' })
            resolve({
              err_msg: 'scanQRCode:ok',
              resultStr: isIOS ? JSON.stringify({ scan_code: { scan_result: value } }) : value,
            })
          }
          var rows = (w.cards || []).map(function (c) {
            return el(
              'div',
              {
                class: 'wxsb-row',
                onclick: function () {
                  done(c.code)
                },
              },
              [el('span', { text: c.title }), el('code', { text: c.code })],
            )
          })
          var close = sheet([
            el('h3', { text: '扫一扫（沙箱）' }),
            el('p', { text: '输入对方出示的券码，或选择沙箱卡包里的券' }),
            input,
            rows.length ? el('div', { class: 'wxsb-list' }, rows) : null,
            el('button', {
              class: 'wxsb-btn wxsb-primary',
              type: 'button',
              'data-wx-sandbox': 'scan-confirm',
              text: '确定',
              onclick: function () {
                done(input.value.trim())
              },
            }),
            el('button', {
              class: 'wxsb-btn wxsb-default',
              type: 'button',
              'data-wx-sandbox': 'scan-cancel',
              text: '取消',
              onclick: function () {
                done(null)
              },
            }),
          ])
          input.focus()
        })
      })
    },
    updateAppMessageShareData: function (p) {
      state.shares.appMessage = { title: p.title, desc: p.desc, link: p.link, imgUrl: p.imgUrl }
      return { err_msg: 'updateAppMessageShareData:ok' }
    },
    updateTimelineShareData: function (p) {
      state.shares.timeline = { title: p.title, link: p.link, imgUrl: p.imgUrl }
      return { err_msg: 'updateTimelineShareData:ok' }
    },
    closeWindow: function () {
      sheet([el('h3', { text: '页面已关闭（沙箱）' }), el('p', { text: '在微信中，这里会回到聊天。' })])
      return { err_msg: 'closeWindow:ok' }
    },
  }

  var queue = Promise.resolve()
  var bridge = {
    invoke: function (name, params, cb) {
      state.calls.push(name)
      // WeChat's client answers bridge calls in order; a call never overtakes a pending config.
      queue = queue
        .then(function () {
          var h = handlers[name]
          if (!h) return { err_msg: name + ':function_not_exist' }
          if (!verified && name !== 'preVerifyJSAPI' && name !== 'getNetworkType')
            return { err_msg: name + ':the permission value is offline verifying' }
          return h(params || {})
        })
        .then(
          function (res) {
            if (cb)
              setTimeout(function () {
                cb(res)
              }, 0)
          },
          function () {
            if (cb)
              setTimeout(function () {
                cb({ err_msg: name + ':fail' })
              }, 0)
          },
        )
    },
    on: function (name, cb) {
      listeners[name] = cb
    },
    call: function (name) {
      if (name === 'closeWindow') handlers.closeWindow()
    },
  }
  window.WeixinJSBridge = bridge
  document.dispatchEvent(new Event('WeixinJSBridgeReady'))

  /* WeChat's top-right menu, in miniature: share to a friend (who is another sandbox user), the wallet, leave act-as. */
  function personasNew(path) {
    var f = el('form', { method: 'post', action: '/__wx/personas/new' }, [
      el('input', { type: 'hidden', name: 'return', value: path }),
    ])
    document.body.appendChild(f)
    f.submit()
  }
  function walletSheet() {
    request('GET', '/__wx/bridge/wallet').then(function (w) {
      var rows = (w.cards || []).map(function (c) {
        return el('div', { class: 'wxsb-row' }, [
          el('span', { text: c.title + (c.status === 'CONSUMED' ? '（已核销）' : '') }),
          el('code', { text: c.code }),
          c.status === 'NORMAL'
            ? el('button', {
                type: 'button',
                'data-wx-sandbox': 'wallet-delete',
                text: '删除',
                onclick: function () {
                  request('POST', '/__wx/bridge/wallet/delete', { code: c.code }).then(function () {
                    close()
                    walletSheet()
                  })
                },
              })
            : null,
        ])
      })
      var close = sheet([
        el('h3', { text: '卡包' }),
        el('p', { text: rows.length ? '沙箱用户 ' + w.openid : '卡包里还没有券' }),
        el('div', { class: 'wxsb-list' }, rows),
        el('button', {
          class: 'wxsb-btn wxsb-default',
          type: 'button',
          text: '关闭',
          onclick: function () {
            close()
          },
        }),
      ])
    })
  }
  whenBody(function () {
    addStyle()
    document.body.appendChild(
      el('button', {
        class: 'wxsb-menu',
        type: 'button',
        'data-wx-sandbox': 'menu',
        'aria-label': '微信菜单（沙箱）',
        text: '···',
        onclick: function () {
          var share = state.shares.appMessage
          var close = sheet([
            el('h3', { text: '沙箱微信菜单' }),
            share
              ? el('button', {
                  class: 'wxsb-btn wxsb-primary',
                  type: 'button',
                  'data-wx-sandbox': 'share-to-friend',
                  text: '发送给朋友（以新用户打开）',
                  onclick: function () {
                    close()
                    var u = new URL(share.link)
                    personasNew(u.pathname + u.search)
                  },
                })
              : el('p', { text: '此页面尚未设置分享内容' }),
            el('button', {
              class: 'wxsb-btn wxsb-default',
              type: 'button',
              text: '我的卡包',
              onclick: function () {
                close()
                walletSheet()
              },
            }),
            el('button', {
              class: 'wxsb-btn wxsb-default',
              type: 'button',
              text: '切换沙箱用户',
              onclick: function () {
                location.href = '/__wx/personas?return=' + encodeURIComponent(location.pathname + location.search)
              },
            }),
            actAs
              ? el('button', {
                  class: 'wxsb-btn wxsb-default',
                  type: 'button',
                  text: '退出微信模拟',
                  onclick: function () {
                    localStorage.removeItem(ACT_KEY)
                    location.reload()
                  },
                })
              : null,
            el('button', {
              class: 'wxsb-btn wxsb-default',
              type: 'button',
              text: '取消',
              onclick: function () {
                close()
              },
            }),
          ])
        },
      }),
    )
  })
})()
